using System.Net;
using Microsoft.Extensions.Primitives;

namespace FcGateway.Dialects;

/// <summary>What an HTTP-trigger event is made of, gathered from the request by the invocation path.</summary>
internal readonly struct EventRequest
{
    public required string Method { get; init; }

    /// <summary>The URL-encoded path as received (after any route path transform).</summary>
    public required string RawPath { get; init; }

    public required string Protocol { get; init; }

    /// <summary>The request's host name without port.</summary>
    public required string DomainName { get; init; }

    public required IPAddress? SourceIp { get; init; }

    public required IHeaderDictionary Headers { get; init; }

    /// <summary>The query string as received (after any route query transform), without the <c>?</c>; empty when there is none.</summary>
    public required ReadOnlyMemory<char> RawQueryString { get; init; }

    /// <summary>Decoded query keys and values; repeated keys are joined with commas.</summary>
    public required IEnumerable<KeyValuePair<string, StringValues>> Query { get; init; }

    /// <summary>The <c>X-Forwarded-For</c> value to write, the peer already appended.</summary>
    public required string ForwardedFor { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    public required string AccountId { get; init; }

    public required string RequestId { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>The AWS access key an <c>aws_iam</c> trigger's request was signed with; null for other triggers.</summary>
    public string? IamAccessKey { get; init; }
}
