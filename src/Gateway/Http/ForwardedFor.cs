using System.Net;
using FcGateway.Configuration;

namespace FcGateway.Http;

/// <summary>
/// The <c>X-Forwarded-For</c> the gateway sends on (wire contract §10): the received value with the TCP
/// peer appended, or the peer alone when the peer is not a trusted proxy and trusted proxies are configured.
/// </summary>
internal static class ForwardedFor
{
    public const string HeaderName = "X-Forwarded-For";
    public const string RealIpHeaderName = "X-Real-IP";

    /// <summary>True when the peer's forwarding headers are believed.</summary>
    public static bool IsTrusted(TrustedProxies proxies, IPAddress? peer) =>
        proxies.IsEmpty || (peer is not null && proxies.Contains(peer));

    public static string Append(IHeaderDictionary headers, IPAddress? peer, bool peerTrusted)
    {
        var self = PeerText(peer);
        var received = peerTrusted ? headers[HeaderName] : default;
        if (received.Count == 0)
        {
            return self;
        }

        // Several X-Forwarded-For lines are one list (RFC 9110 §5.3), written with the separator the gateway appends with.
        return received.Count == 1 ? string.Concat(received[0], ", ", self) : string.Join(", ", [.. received, self]);
    }

    private static string PeerText(IPAddress? peer)
    {
        if (peer is null)
        {
            return "";
        }

        return (peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer).ToString();
    }
}
