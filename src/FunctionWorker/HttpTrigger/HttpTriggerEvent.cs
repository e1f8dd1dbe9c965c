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

    /// <summary>The event as indented JSON, like the Go SDK's <c>String()</c>.</summary>
    /// <returns>The indented JSON text.</returns>
    public override string ToString() => JsonSerializer.Serialize(this, WorkerJsonContext.Indented.HttpTriggerEvent);
}
