using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FcWorker.Handlers;
using FcWorker.Serialization;

namespace FcWorker.Binding;

/// <summary>Any other event type: deserialized from JSON with the contract resolved at start-up.</summary>
internal sealed class JsonEventBinder : EventBinder
{
    private readonly JsonTypeInfo _typeInfo;
    private readonly string _typeName;

    private JsonEventBinder(JsonTypeInfo typeInfo)
    {
        _typeInfo = typeInfo;
        _typeName = TypeNames.Display(typeInfo.Type);
    }

    public static JsonEventBinder For(Type eventType, JsonSerializerOptions serializerOptions) =>
        new(JsonContracts.Resolve(eventType, serializerOptions, "event"));

    public override bool TryBind(ArraySegment<byte> body, out object? value, out string? error)
    {
        value = null;
        if (body.Count == 0)
        {
            error = $"The event is empty, but the handler takes a {_typeName}, which is read from a JSON document.";
            return false;
        }

        try
        {
            value = JsonSerializer.Deserialize(body.AsSpan(), _typeInfo);
            error = null;
            return true;
        }
        catch (JsonException exception)
        {
            error = $"The event is not a valid JSON {_typeName}: {exception.Message}";
            return false;
        }
    }
}
