using System.Text;

namespace FcWorker.Binding;

/// <summary>A <see cref="string"/> event: the raw bytes decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
internal sealed class StringEventBinder : EventBinder
{
    public static StringEventBinder Instance { get; } = new();

    public override bool TryBind(ArraySegment<byte> body, out object? value, out string? error)
    {
        value = Encoding.UTF8.GetString(body.AsSpan());
        error = null;
        return true;
    }
}
