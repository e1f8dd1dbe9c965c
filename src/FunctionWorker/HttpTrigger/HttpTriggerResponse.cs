using System.Text.Json;
using System.Text.Json.Serialization;
using FcWorker.Serialization;

namespace FcWorker.HttpTrigger;

/// <summary>
/// An output the HTTP trigger turns into an HTTP response (status, headers, body), with the Go
/// SDK's fluent setters. <see cref="Headers"/> is left out of the JSON when null and
/// <see cref="IsBase64Encoded"/> when false, as Go's <c>omitempty</c> does.
/// </summary>
public sealed class HttpTriggerResponse
{
    /// <summary>Creates a response with status 200 and an empty body.</summary>
    public HttpTriggerResponse()
        : this(200)
    {
    }

    /// <summary>Creates a response with the given status and an empty body.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    public HttpTriggerResponse(int statusCode) => StatusCode = statusCode;

    /// <summary>The HTTP status code.</summary>
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; }

    /// <summary>The response headers; <c>Content-Type</c> defaults to <c>application/json</c> when absent.</summary>
    [JsonPropertyName("headers")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IDictionary<string, string>? Headers { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64 and must be decoded before it is sent.</summary>
    [JsonPropertyName("isBase64Encoded")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IsBase64Encoded { get; set; }

    /// <summary>The response body.</summary>
    [JsonPropertyName("body")]
    public string Body { get; set; } = string.Empty;

    /// <summary>Sets <see cref="StatusCode"/>.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <returns>This response.</returns>
    public HttpTriggerResponse WithStatusCode(int statusCode)
    {
        StatusCode = statusCode;
        return this;
    }

    /// <summary>Sets <see cref="Headers"/>.</summary>
    /// <param name="headers">The response headers.</param>
    /// <returns>This response.</returns>
    public HttpTriggerResponse WithHeaders(IDictionary<string, string>? headers)
    {
        Headers = headers;
        return this;
    }

    /// <summary>Sets <see cref="IsBase64Encoded"/>.</summary>
    /// <param name="isBase64Encoded">Whether the body is base64.</param>
    /// <returns>This response.</returns>
    public HttpTriggerResponse WithIsBase64Encoded(bool isBase64Encoded)
    {
        IsBase64Encoded = isBase64Encoded;
        return this;
    }

    /// <summary>Sets <see cref="Body"/>.</summary>
    /// <param name="body">The response body.</param>
    /// <returns>This response.</returns>
    public HttpTriggerResponse WithBody(string body)
    {
        Body = body;
        return this;
    }

    /// <summary>The response as indented JSON, like the Go SDK's <c>String()</c>.</summary>
    /// <returns>The indented JSON text.</returns>
    public override string ToString() => JsonSerializer.Serialize(this, WorkerJsonContext.Indented.HttpTriggerResponse);
}
