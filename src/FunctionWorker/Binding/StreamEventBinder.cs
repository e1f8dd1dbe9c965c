namespace FcWorker.Binding;

/// <summary>
/// A <see cref="Stream"/> event: a read-only, seekable view of the pooled bytes, so synchronous reads
/// work too (Kestrel's own request stream refuses them). Valid until the handler's task completes.
/// </summary>
internal sealed class StreamEventBinder : EventBinder
{
    public static StreamEventBinder Instance { get; } = new();

    public override bool TryBind(ArraySegment<byte> body, out object? value, out string? error)
    {
        value = new MemoryStream(body.Array ?? [], body.Offset, body.Count, writable: false);
        error = null;
        return true;
    }
}
