using System.Buffers;
using System.Net;

namespace FcGateway.Dispatch.Push;

/// <summary>
/// The body of <c>POST /invoke</c>, read from the gateway's buffers. It records the handler's reading of it, so
/// <see cref="WorkerInvoker"/> returns only once nothing reads those buffers any more: over HTTP/2 the handler may
/// still be sending a request body after the response arrived or the call was cancelled.
/// </summary>
internal abstract class WorkerPayload : HttpContent
{
    private volatile Task _reading = Task.CompletedTask;

    /// <summary>Completes once the last serialization of this payload has ended; faulted or cancelled as it ended.</summary>
    public Task ReadingEnded => _reading;

    protected sealed override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected sealed override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        _reading = WriteToAsync(stream, cancellationToken);

    /// <summary>Writes the payload; called once per attempt (a retried request writes it again).</summary>
    protected abstract Task WriteToAsync(Stream stream, CancellationToken cancellationToken);

    /// <summary>The payload's length in bytes, known before it is written.</summary>
    public abstract long Length { get; }

    /// <summary>Writes the whole payload into one buffer, for a client that sends it in one send.</summary>
    public abstract void WriteWhole(IBufferWriter<byte> destination);

    protected sealed override bool TryComputeLength(out long length)
    {
        length = Length;
        return true;
    }
}
