namespace FcWorker.Binding;

/// <summary>A <c>byte[]</c> event: a copy of the raw bytes the handler may keep.</summary>
internal sealed class BytesEventBinder : EventBinder
{
    public static BytesEventBinder Instance { get; } = new();

    public override bool TryBind(ArraySegment<byte> body, out object? value, out string? error)
    {
        value = body.AsSpan().ToArray();
        error = null;
        return true;
    }
}
