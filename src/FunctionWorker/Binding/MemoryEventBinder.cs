namespace FcWorker.Binding;

/// <summary>
/// A <c>ReadOnlyMemory&lt;byte&gt;</c> event: the pooled bytes themselves, without a copy. They are
/// valid until the handler's task completes; a handler that keeps them longer must copy them.
/// </summary>
internal sealed class MemoryEventBinder : EventBinder
{
    public static MemoryEventBinder Instance { get; } = new();

    public override bool TryBind(ArraySegment<byte> body, out object? value, out string? error)
    {
        value = (ReadOnlyMemory<byte>)body.AsMemory();
        error = null;
        return true;
    }
}
