using System.Text.Json;

namespace FcGateway.Dialects.FcV1.Events;

/// <summary>The property names of FC's event, encoded once; the function URL event shares most of them.</summary>
internal static class EventJsonNames
{
    public static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    public static readonly JsonEncodedText V1 = JsonEncodedText.Encode("v1");
    public static readonly JsonEncodedText RawPath = JsonEncodedText.Encode("rawPath");
    public static readonly JsonEncodedText Headers = JsonEncodedText.Encode("headers");
    public static readonly JsonEncodedText QueryParameters = JsonEncodedText.Encode("queryParameters");
    public static readonly JsonEncodedText RequestContext = JsonEncodedText.Encode("requestContext");
    public static readonly JsonEncodedText AccountId = JsonEncodedText.Encode("accountId");
    public static readonly JsonEncodedText DomainName = JsonEncodedText.Encode("domainName");
    public static readonly JsonEncodedText DomainPrefix = JsonEncodedText.Encode("domainPrefix");
    public static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("requestId");
    public static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    public static readonly JsonEncodedText TimeEpoch = JsonEncodedText.Encode("timeEpoch");
    public static readonly JsonEncodedText Http = JsonEncodedText.Encode("http");
    public static readonly JsonEncodedText Method = JsonEncodedText.Encode("method");
    public static readonly JsonEncodedText Path = JsonEncodedText.Encode("path");
    public static readonly JsonEncodedText Protocol = JsonEncodedText.Encode("protocol");
    public static readonly JsonEncodedText SourceIp = JsonEncodedText.Encode("sourceIp");
    public static readonly JsonEncodedText UserAgent = JsonEncodedText.Encode("userAgent");
    public static readonly JsonEncodedText XForwardedFor = JsonEncodedText.Encode("X-Forwarded-For");
}
