using System.Buffers;

namespace FcGateway.Dispatch.Push;

/// <summary>A payload sent as it is: the invocation API forwards the caller's body unchanged.</summary>
internal sealed class BufferPayload(ReadOnlyMemory<byte> body) : WorkerPayload
{
    protected override Task WriteToAsync(Stream stream, CancellationToken cancellationToken) =>
        stream.WriteAsync(body, cancellationToken).AsTask();

    public override long Length => body.Length;

    public override void WriteWhole(IBufferWriter<byte> destination) => destination.Write(body.Span);
}
