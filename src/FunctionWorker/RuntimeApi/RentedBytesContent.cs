using System.Net;

namespace FcWorker.RuntimeApi;

/// <summary>
/// A request body of bytes in a rented array, which says whether it was sent whole: until then, the HTTP/2 connection
/// may still read the array after the answer came.
/// </summary>
internal sealed class RentedBytesContent(ReadOnlyMemory<byte> bytes) : HttpContent
{
    private volatile bool _sentWhole;

    /// <summary>True once the connection took every byte: it reads the array no more.</summary>
    public bool SentWhole => _sentWhole;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        _sentWhole = true;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = bytes.Length;
        return true;
    }
}
