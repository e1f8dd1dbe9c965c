using System.Net;

namespace FcWorker.RuntimeApi;

/// <summary>
/// A request body of bytes in a rented array, which says whether it was sent whole: until then, the HTTP/2 connection
/// may still read the array after the answer came. A request the handler retries on another connection sends the body
/// again, so every send started must have ended.
/// </summary>
internal sealed class RentedBytesContent(ReadOnlyMemory<byte> bytes) : HttpContent
{
    private volatile bool _sentWhole;
    private int _unfinishedSends;

    /// <summary>True once a send took every byte and none is still under way: the connection reads the array no more.</summary>
    public bool SentWhole => _sentWhole && Volatile.Read(ref _unfinishedSends) == 0;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _unfinishedSends);
        try
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            _sentWhole = true;
        }
        finally
        {
            Interlocked.Decrement(ref _unfinishedSends);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = bytes.Length;
        return true;
    }
}
