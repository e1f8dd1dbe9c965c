namespace FcWorker.Binding;

/// <summary>For handlers without an event parameter: the body is never read.</summary>
internal sealed class NoEventBinder : EventBinder
{
    public static NoEventBinder Instance { get; } = new();

    public override bool ReadsBody => false;

    public override bool TryBind(ArraySegment<byte> body, out object? value, out string? error)
    {
        value = null;
        error = null;
        return true;
    }
}
