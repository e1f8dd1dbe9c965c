using System.Buffers;
using FcGateway.Buffers;
using FcGateway.Dispatch.Push;

namespace FcGateway.Dialects.FcV1.Events;

/// <summary>
/// An event sent to the worker: the head the writer produced, then the body's JSON string, then the tail. A small
/// body is appended to the head at once, so the event goes out in one write. A larger one is encoded step by step
/// straight onto HttpClient's connection: the event is never held whole, so a 32 MB body costs one body-sized buffer
/// rather than two; or, up to what the gateway's own client sends in one send, straight into that client's request
/// (<see cref="WriteWhole"/>). The length is known up front either way, so the event is sent with a Content-Length.
/// </summary>
/// <remarks>Serializing again (the handler may retry a request on a fresh connection) writes the same bytes.</remarks>
internal sealed class EventContent : WorkerPayload
{
    /// <summary>Bodies up to this size go into the head's buffer; it is one encoding step, so the head grows at most once.</summary>
    public const int InlineBodyBytes = JsonStringBody.ChunkBytes;

    private readonly PooledBuffer _head;
    private readonly ReadOnlyMemory<byte> _streamedBody;
    private readonly bool _base64;
    private readonly bool _inline;
    private readonly long _length;

    /// <param name="head">The event up to its body; small bodies are appended to it here.</param>
    /// <param name="body">The request body.</param>
    /// <param name="base64">Whether the body is written base64-encoded.</param>
    public EventContent(PooledBuffer head, ReadOnlyMemory<byte> body, bool base64)
    {
        _head = head;
        _base64 = base64;
        _inline = body.Length <= InlineBodyBytes;
        if (_inline)
        {
            head.Write(HttpTriggerEventWriter.BodyStart);
            JsonStringBody.WriteContent(head, body.Span, base64);
            head.Write(HttpTriggerEventWriter.Tail(base64));
            _length = head.WrittenCount;
            return;
        }

        _streamedBody = body;
        _length = head.WrittenCount
            + HttpTriggerEventWriter.BodyStart.Length
            + JsonStringBody.EncodedLength(body.Span, base64)
            + HttpTriggerEventWriter.Tail(base64).Length;
    }

    protected override Task WriteToAsync(Stream stream, CancellationToken cancellationToken) =>
        _inline ? stream.WriteAsync(_head.WrittenMemory, cancellationToken).AsTask() : StreamAsync(stream, cancellationToken);

    public override long Length => _length;

    /// <summary>The event in one buffer: the body, when it was not appended to the head, is encoded straight into it.</summary>
    public override void WriteWhole(IBufferWriter<byte> destination)
    {
        destination.Write(_head.WrittenSpan);
        if (!_inline)
        {
            destination.Write(HttpTriggerEventWriter.BodyStart);
            JsonStringBody.WriteContent(destination, _streamedBody.Span, _base64);
            destination.Write(HttpTriggerEventWriter.Tail(_base64));
        }
    }

    /// <summary>
    /// One write per encoding step: the head goes out with the first step and the tail with the last, rather than in
    /// writes of their own (each a send, and a receive at the worker).
    /// </summary>
    private async Task StreamAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var step = new PooledBuffer(_head.WrittenCount + JsonStringBody.ChunkBytes * 2);
        step.Write(_head.WrittenSpan);
        step.Write(HttpTriggerEventWriter.BodyStart);
        var body = _streamedBody;
        for (var offset = 0; offset < body.Length; offset += JsonStringBody.ChunkBytes)
        {
            var length = Math.Min(JsonStringBody.ChunkBytes, body.Length - offset);
            JsonStringBody.WriteContent(step, body.Span.Slice(offset, length), _base64);
            if (offset + length == body.Length)
            {
                step.Write(HttpTriggerEventWriter.Tail(_base64));
            }

            await stream.WriteAsync(step.WrittenMemory, cancellationToken);
            step.Clear();
        }
    }
}
