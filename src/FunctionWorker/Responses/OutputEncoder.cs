using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FcWorker.Serialization;

namespace FcWorker.Responses;

/// <summary>
/// Turns a handler's output into the body of a successful call: strings as UTF-8, bytes and streams raw,
/// nothing as an empty body, anything else as JSON with the contract resolved at start-up. Text and JSON of
/// <see cref="PooledFromBytes"/> or more go into an array rented from the shared pool rather than one of their own, which
/// at that size would be one more large-object allocation (and copy) per call.
/// </summary>
internal sealed class OutputEncoder(JsonTypeInfo jsonTypeInfo)
{
    /// <summary>Below this, an output's own array costs less than renting; above, it would approach the large-object heap.</summary>
    public const int PooledFromBytes = 16 * 1024;

    /// <summary>The serializer's depth when its options leave MaxDepth 0 (a writer's own default would be 1,000).</summary>
    private const int SerializerDefaultMaxDepth = 64;

    [ThreadStatic]
    private static RentedBufferWriter? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>The encoder whose options <see cref="t_writer"/> was made with.</summary>
    [ThreadStatic]
    private static OutputEncoder? t_writerOwner;

    private readonly JsonWriterOptions _writerOptions = new()
    {
        Encoder = jsonTypeInfo.Options.Encoder,
        Indented = jsonTypeInfo.Options.WriteIndented,
        IndentCharacter = jsonTypeInfo.Options.IndentCharacter,
        IndentSize = jsonTypeInfo.Options.IndentSize,
        NewLine = jsonTypeInfo.Options.NewLine,
        MaxDepth = jsonTypeInfo.Options.MaxDepth is 0 ? SerializerDefaultMaxDepth : jsonTypeInfo.Options.MaxDepth,
        SkipValidation = true,
    };

    public static OutputEncoder Create(Type? outputType, JsonSerializerOptions serializerOptions) =>
        new(outputType is null || IsRaw(outputType)
            ? serializerOptions.GetTypeInfo(typeof(object))
            : JsonContracts.Resolve(outputType, serializerOptions, "output"));

    public FunctionOutput Encode(object? output) => output switch
    {
        null => FunctionOutput.Empty,
        string text => EncodeText(text),
        byte[] bytes => FunctionOutput.FromBytes(bytes, ContentTypes.Binary),
        ReadOnlyMemory<byte> memory => FunctionOutput.FromBytes(memory, ContentTypes.Binary),
        Stream stream => FunctionOutput.FromStream(stream, ContentTypes.Binary),
        _ => EncodeJson(output),
    };

    private static FunctionOutput EncodeText(string text)
    {
        // Under a third of the threshold in characters, its UTF-8 is under it in bytes: no need to count them.
        var length = text.Length < PooledFromBytes / 3 ? 0 : Encoding.UTF8.GetByteCount(text);
        if (length < PooledFromBytes)
        {
            return FunctionOutput.FromBytes(Encoding.UTF8.GetBytes(text), ContentTypes.Text);
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        return FunctionOutput.FromRented(rented, Encoding.UTF8.GetBytes(text, rented), ContentTypes.Text);
    }

    private FunctionOutput EncodeJson(object output)
    {
        // Serializing is synchronous: the thread's writer and buffer serve one output at a time, as the serializer's own do.
        var buffer = t_buffer ??= new RentedBufferWriter();
        if (t_writerOwner != this)
        {
            t_writer = new Utf8JsonWriter(buffer, _writerOptions);
            t_writerOwner = this;
        }

        var writer = t_writer!;
        try
        {
            JsonSerializer.Serialize(writer, output, jsonTypeInfo);
            return buffer.Length < PooledFromBytes
                ? FunctionOutput.FromBytes(buffer.Written.ToArray(), ContentTypes.Json)
                : buffer.Detach(ContentTypes.Json);
        }
        finally
        {
            buffer.Clear();
            writer.Reset(buffer);
        }
    }

    private static bool IsRaw(Type type) =>
        type == typeof(object) || type == typeof(string) || type == typeof(byte[])
        || type == typeof(ReadOnlyMemory<byte>) || typeof(Stream).IsAssignableFrom(type);
}
