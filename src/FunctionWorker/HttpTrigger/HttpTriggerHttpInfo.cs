using System.Text.Json.Serialization;

namespace FcWorker.HttpTrigger;

/// <summary>The <c>requestContext.http</c> of an <see cref="HttpTriggerEvent"/>.</summary>
public sealed record HttpTriggerHttpInfo
{
    /// <summary>The request method, e.g. <c>POST</c>.</summary>
    [JsonPropertyName("method")]
    public string? Method { get; init; }

    /// <summary>The decoded request path, e.g. <c>/a b/c</c>.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; init; }

    /// <summary>The negotiated protocol, e.g. <c>HTTP/1.1</c>.</summary>
    [JsonPropertyName("protocol")]
    public string? Protocol { get; init; }

    /// <summary>The IP of the direct TCP peer (not the X-Forwarded-For value).</summary>
    [JsonPropertyName("sourceIp")]
    public string? SourceIp { get; init; }

    /// <summary>The <c>User-Agent</c> header.</summary>
    [JsonPropertyName("userAgent")]
    public string? UserAgent { get; init; }
}
