using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FcWorker.Serialization;
using Microsoft.AspNetCore.Http;

namespace FcWorker.Responses;

/// <summary>
/// Writes a handler's output as a successful reply: strings as UTF-8, bytes and streams raw,
/// nothing as an empty body, anything else as JSON with the contract resolved at start-up.
/// </summary>
internal sealed class OutputWriter(JsonTypeInfo jsonTypeInfo)
{
    private const string TextContentType = "text/plain; charset=utf-8";
    private const string BinaryContentType = "application/octet-stream";
    private const string JsonContentType = "application/json";

    public static OutputWriter Create(Type? outputType, JsonSerializerOptions serializerOptions) =>
        new(outputType is null || IsRaw(outputType)
            ? serializerOptions.GetTypeInfo(typeof(object))
            : JsonContracts.Resolve(outputType, serializerOptions, "output"));

    public Task WriteAsync(HttpResponse response, object? output, CancellationToken cancellationToken)
    {
        FcResponse.SetSuccess(response);
        switch (output)
        {
            case null:
                FcResponse.SetEmpty(response);
                return Task.CompletedTask;
            case string text:
                return WriteTextAsync(response, text);
            case byte[] bytes:
                return FcResponse.WriteBytesAsync(response, bytes, BinaryContentType);
            case ReadOnlyMemory<byte> memory:
                return FcResponse.WriteBytesAsync(response, memory, BinaryContentType);
            case Stream stream:
                return WriteStreamAsync(response, stream, cancellationToken);
            default:
                return FcResponse.WriteBytesAsync(response, JsonSerializer.SerializeToUtf8Bytes(output, jsonTypeInfo), JsonContentType);
        }
    }

    private static bool IsRaw(Type type) =>
        type == typeof(object) || type == typeof(string) || type == typeof(byte[])
        || type == typeof(ReadOnlyMemory<byte>) || typeof(Stream).IsAssignableFrom(type);

    private static async Task WriteTextAsync(HttpResponse response, string text)
    {
        response.ContentType = TextContentType;
        response.ContentLength = Encoding.UTF8.GetByteCount(text);
        Encoding.UTF8.GetBytes(text, response.BodyWriter);
        await response.BodyWriter.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>A seekable stream gets a Content-Length; any other is sent chunked, as it cannot be measured without a copy.</summary>
    private static async Task WriteStreamAsync(HttpResponse response, Stream stream, CancellationToken cancellationToken)
    {
        await using (stream.ConfigureAwait(false))
        {
            response.ContentType = BinaryContentType;
            if (stream.CanSeek)
            {
                response.ContentLength = stream.Length - stream.Position;
            }

            await stream.CopyToAsync(response.Body, cancellationToken).ConfigureAwait(false);
        }
    }
}
