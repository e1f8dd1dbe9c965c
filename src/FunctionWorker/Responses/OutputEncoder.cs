using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FcWorker.Serialization;

namespace FcWorker.Responses;

/// <summary>
/// Turns a handler's output into the body of a successful call: strings as UTF-8, bytes and streams raw,
/// nothing as an empty body, anything else as JSON with the contract resolved at start-up.
/// </summary>
internal sealed class OutputEncoder(JsonTypeInfo jsonTypeInfo)
{
    public static OutputEncoder Create(Type? outputType, JsonSerializerOptions serializerOptions) =>
        new(outputType is null || IsRaw(outputType)
            ? serializerOptions.GetTypeInfo(typeof(object))
            : JsonContracts.Resolve(outputType, serializerOptions, "output"));

    public FunctionOutput Encode(object? output) => output switch
    {
        null => FunctionOutput.Empty,
        string text => FunctionOutput.FromBytes(Encoding.UTF8.GetBytes(text), ContentTypes.Text),
        byte[] bytes => FunctionOutput.FromBytes(bytes, ContentTypes.Binary),
        ReadOnlyMemory<byte> memory => FunctionOutput.FromBytes(memory, ContentTypes.Binary),
        Stream stream => FunctionOutput.FromStream(stream, ContentTypes.Binary),
        _ => FunctionOutput.FromBytes(JsonSerializer.SerializeToUtf8Bytes(output, jsonTypeInfo), ContentTypes.Json),
    };

    private static bool IsRaw(Type type) =>
        type == typeof(object) || type == typeof(string) || type == typeof(byte[])
        || type == typeof(ReadOnlyMemory<byte>) || typeof(Stream).IsAssignableFrom(type);
}
