using System.Text.Json.Serialization;

namespace FcWorker.HttpTrigger;

/// <summary>The <c>requestContext</c> of an <see cref="HttpTriggerEvent"/>.</summary>
public sealed record HttpTriggerRequestContext
{
    /// <summary>The id of the account that owns the function.</summary>
    [JsonPropertyName("accountId")]
    public string? AccountId { get; init; }

    /// <summary>The request's host name, without port.</summary>
    [JsonPropertyName("domainName")]
    public string? DomainName { get; init; }

    /// <summary>The first label of <see cref="DomainName"/>.</summary>
    [JsonPropertyName("domainPrefix")]
    public string? DomainPrefix { get; init; }

    /// <summary>The invocation's request id.</summary>
    [JsonPropertyName("requestId")]
    public string? RequestId { get; init; }

    /// <summary>The request time, ISO 8601 UTC with seconds precision (<c>2023-09-05T06:41:11Z</c>).</summary>
    [JsonPropertyName("time")]
    public string? Time { get; init; }

    /// <summary>The request time in Unix milliseconds, as a string (<c>"1693896071895"</c>).</summary>
    [JsonPropertyName("timeEpoch")]
    public string? TimeEpoch { get; init; }

    /// <summary>The HTTP details of the request.</summary>
    [JsonPropertyName("http")]
    public HttpTriggerHttpInfo? Http { get; init; }
}
