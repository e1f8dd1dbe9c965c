using System.Net;
using FcGateway.Buffers;

namespace FcGateway.Events;

/// <summary>
/// An event streamed to the worker: the head the writer produced, then the body encoded step by step
/// straight onto the connection, then the tail. The event is never held whole, so a 32 MB body costs one
/// body-sized buffer rather than two; its length is computed up front, so it is sent with a Content-Length.
/// </summary>
internal sealed class EventContent(PooledBuffer head, ReadOnlyMemory<byte> body, bool base64) : HttpContent
{
    private readonly long _length = head.WrittenCount
        + HttpTriggerEventWriter.BodyStart.Length
        + JsonStringBody.EncodedLength(body.Span, base64)
        + HttpTriggerEventWriter.Tail(base64).Length;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(head.WrittenMemory, cancellationToken);
        using var step = new PooledBuffer(JsonStringBody.ChunkBytes * 2);
        step.Write(HttpTriggerEventWriter.BodyStart);
        for (var offset = 0; offset < body.Length; offset += JsonStringBody.ChunkBytes)
        {
            var slice = body.Slice(offset, Math.Min(JsonStringBody.ChunkBytes, body.Length - offset));
            JsonStringBody.WriteContent(step, slice.Span, base64);
            await stream.WriteAsync(step.WrittenMemory, cancellationToken);
            step.Clear();
        }

        step.Write(HttpTriggerEventWriter.Tail(base64));
        await stream.WriteAsync(step.WrittenMemory, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
