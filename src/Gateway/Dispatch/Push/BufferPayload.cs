namespace FcGateway.Dispatch.Push;

/// <summary>A payload sent as it is: the invocation API forwards the caller's body unchanged.</summary>
internal sealed class BufferPayload(ReadOnlyMemory<byte> body) : WorkerPayload
{
    protected override Task WriteToAsync(Stream stream, CancellationToken cancellationToken) =>
        stream.WriteAsync(body, cancellationToken).AsTask();

    public override bool TryGetWhole(out ReadOnlyMemory<byte> bytes)
    {
        bytes = body;
        return true;
    }

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }
}
