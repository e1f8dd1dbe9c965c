using System.Text.Json;

namespace FcWorker.Binding;

/// <summary>Turns the event bytes into the handler's event parameter; chosen once, at start-up, from its type.</summary>
internal abstract class EventBinder
{
    /// <summary>Whether the binder needs the body; a handler without an event ignores it, as in FC's Go runtime.</summary>
    public virtual bool ReadsBody => true;

    /// <summary>Binds the event; on failure returns false and says why in <paramref name="error"/>.</summary>
    public abstract bool TryBind(ArraySegment<byte> body, out object? value, out string? error);

    public static EventBinder Create(Type? eventType, JsonSerializerOptions serializerOptions) => eventType switch
    {
        null => NoEventBinder.Instance,
        _ when eventType == typeof(byte[]) => BytesEventBinder.Instance,
        _ when eventType == typeof(ReadOnlyMemory<byte>) => MemoryEventBinder.Instance,
        _ when eventType == typeof(Stream) => StreamEventBinder.Instance,
        _ when eventType == typeof(string) => StringEventBinder.Instance,
        _ => JsonEventBinder.For(eventType, serializerOptions),
    };
}
