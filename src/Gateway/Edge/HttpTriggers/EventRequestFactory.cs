using FcGateway.Configuration;
using FcGateway.Dialects;
using FcGateway.Edge.Triggers;
using FcGateway.Http;
using Microsoft.Extensions.Primitives;

namespace FcGateway.Edge.HttpTriggers;

/// <summary>Gathers what an event is made of from the HTTP request.</summary>
internal static class EventRequestFactory
{
    public static EventRequest Create(
        HttpContext context,
        string rawPath,
        ReadOnlyMemory<char> rawQueryString,
        IEnumerable<KeyValuePair<string, StringValues>> query,
        ReadOnlyMemory<byte> body,
        GatewaySettings settings,
        DateTimeOffset time)
    {
        var request = context.Request;
        var peer = context.Connection.RemoteIpAddress;
        var trusted = ForwardedFor.IsTrusted(settings.TrustedProxies, peer);
        return new EventRequest
        {
            Method = request.Method,
            RawPath = rawPath,
            RawQueryString = rawQueryString,
            Protocol = request.Protocol,
            DomainName = RequestHost.Of(request).Host,
            SourceIp = peer,
            Headers = request.Headers,
            Query = query,
            ForwardedFor = ForwardedFor.Append(request.Headers, peer, trusted),
            Body = body,
            AccountId = settings.AccountId,
            RequestId = context.TraceIdentifier,
            Time = time,
            IamAccessKey = context.Features.Get<SignedCallerFeature>()?.AccessKeyId,
        };
    }
}
