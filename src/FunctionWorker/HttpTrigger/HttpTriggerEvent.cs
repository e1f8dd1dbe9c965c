using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using FcWorker.Serialization;

namespace FcWorker.HttpTrigger;

/// <summary>
/// The event an HTTP trigger passes to an event function (FC 3.0, payload version <c>v1</c>).
/// Every property is null when the event did not come from an HTTP trigger.
/// </summary>
public sealed record HttpTriggerEvent
{
    /// <summary>The payload format version; always <c>v1</c>.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; init; }

    /// <summary>The URL-encoded request path, e.g. <c>/a%20b/c</c>.</summary>
    [JsonPropertyName("rawPath")]
    public string? RawPath { get; init; }

    /// <summary>The request headers, names in canonical form (<c>X-Custom-Header</c>), repeated values joined with commas.</summary>
    [JsonPropertyName("headers")]
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>The decoded query parameters, repeated values joined with commas.</summary>
    [JsonPropertyName("queryParameters")]
    public IReadOnlyDictionary<string, string>? QueryParameters { get; init; }

    /// <summary>The request body: text as received, or base64 when <see cref="IsBase64Encoded"/> is true.</summary>
    [JsonPropertyName("body")]
    public string? Body { get; init; }

    /// <summary>Whether <see cref="Body"/> is base64-encoded (binary or non-text media types).</summary>
    [JsonPropertyName("isBase64Encoded")]
    public bool? IsBase64Encoded { get; init; }

    /// <summary>Who called, when, and how.</summary>
    [JsonPropertyName("requestContext")]
    public HttpTriggerRequestContext? RequestContext { get; init; }

    /// <summary>
    /// The request body's bytes: <see cref="Body"/> base64-decoded when <see cref="IsBase64Encoded"/>, else its UTF-8;
    /// empty when there is none. Base64 is decoded as <see cref="Convert.FromBase64String"/> decodes it (whitespace
    /// skipped, bits past the last byte ignored), but a vector at a time (its characters narrowed to bytes first), where
    /// <see cref="Convert.FromBase64String"/> goes a character at a time.
    /// </summary>
    /// <returns>A new array of the body's bytes.</returns>
    /// <exception cref="FormatException"><see cref="IsBase64Encoded"/> is true, and <see cref="Body"/> is not base64.</exception>
    public byte[] DecodeBody()
    {
        var body = Body ?? "";
        if (IsBase64Encoded != true)
        {
            return Encoding.UTF8.GetBytes(body);
        }

        var text = ArrayPool<byte>.Shared.Rent(body.Length);
        try
        {
            // A character beyond ASCII becomes '?', which the check below refuses as base64 does.
            var length = Encoding.ASCII.GetBytes(body, text);

            // Whitespace makes the text longer than its bytes need; there, or with bits set past the last byte, the vector
            // decoder stops short or refuses the text: those are rare, and decoded as Convert decodes them.
            if (!Base64.IsValid(text.AsSpan(0, length), out var decodedLength) || (decodedLength + 2L) / 3 * 4 != length)
            {
                return Convert.FromBase64String(body);
            }

            var bytes = GC.AllocateUninitializedArray<byte>(decodedLength);
            Base64.DecodeFromUtf8(text.AsSpan(0, length), bytes, out _, out _);
            return bytes;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(text);
        }
    }

    /// <summary>The event as indented JSON, like the Go SDK's <c>String()</c>.</summary>
    /// <returns>The indented JSON text.</returns>
    public override string ToString() => JsonSerializer.Serialize(this, WorkerJsonContext.Indented.HttpTriggerEvent);
}
