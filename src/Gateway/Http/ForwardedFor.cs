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
    public const string ClientIpHeaderName = "X-Client-IP";

    /// <summary>RFC 7239's header, whose <c>for=</c> parameters name the clients a proxy forwarded for.</summary>
    public const string ForwardedHeaderName = "Forwarded";

    /// <summary>True when the peer's forwarding headers are believed.</summary>
    public static bool IsTrusted(TrustedProxies proxies, IPAddress? peer) =>
        proxies.IsEmpty || (peer is not null && proxies.Contains(peer));

    public static string Append(IHeaderDictionary headers, IPAddress? peer, bool peerTrusted)
    {
        var self = PeerText(peer);
        var received = peerTrusted ? headers[HeaderName] : default;
        if (received.Count == 1)
        {
            var list = ListOf(received[0]);
            return list.Length == 0 ? self : string.Concat(list, ", ", self);
        }

        if (received.Count == 0)
        {
            return self;
        }

        // Several X-Forwarded-For lines are one list (RFC 9110 §5.3), written with the separator the gateway appends with.
        var lists = new List<string>(received.Count + 1);
        foreach (var line in received)
        {
            if (ListOf(line) is { Length: > 0 } list)
            {
                lists.Add(list.ToString());
            }
        }

        lists.Add(self);
        return string.Join(", ", lists);
    }

    /// <summary>
    /// One received line without the empty elements at its ends (a blank line, a leading or trailing comma), which would
    /// otherwise put an empty entry before the peer — or first, where a function reads the original client.
    /// </summary>
    private static ReadOnlySpan<char> ListOf(string? line) => line.AsSpan().Trim(", \t");

    private static string PeerText(IPAddress? peer)
    {
        if (peer is null)
        {
            return "";
        }

        return (peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer).ToString();
    }
}
