using System.Net;
using FcGateway.Http;
using Microsoft.Extensions.Primitives;

namespace FcGateway.Edge.Requests;

/// <summary>
/// Whether a request comes from this machine: its TCP peer is a loopback address and so is every client a proxy says
/// it forwarded the request for, in any of the forwarding headers the gateway believes from a proxy
/// (<c>X-Forwarded-For</c>, <c>X-Real-IP</c>, <c>X-Client-IP</c>, the <c>for=</c> of <c>Forwarded</c>). A local proxy in
/// front of the gateway forwarding for an internet client is then not a loopback caller, whichever header it writes. By
/// the time this is asked, the forwarding headers of peers that are not trusted proxies are gone
/// (<see cref="UntrustedForwardingHeaders"/>); a client that sends its own can only make itself less local, never more.
/// </summary>
internal static class LoopbackClient
{
    private const string ForParameter = "for=";

    public static bool IsLoopback(HttpContext context)
    {
        var headers = context.Request.Headers;
        return IsLoopback(context.Connection.RemoteIpAddress)
            && AreAllLoopback(headers[ForwardedFor.HeaderName])
            && AreAllLoopback(headers[ForwardedFor.RealIpHeaderName])
            && AreAllLoopback(headers[ForwardedFor.ClientIpHeaderName])
            && AreAllForwardedForLoopback(headers[ForwardedFor.ForwardedHeaderName]);
    }

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    // Anything that is not an address, such as "unknown" or an obfuscated identifier, may be anyone and so is not loopback.
    private static bool IsLoopbackAddress(ReadOnlySpan<char> entry) =>
        IPEndPoint.TryParse(entry, out var client) && IsLoopback(client.Address);

    private static bool AreAllLoopback(StringValues forwardedFor)
    {
        foreach (var line in forwardedFor)
        {
            var entries = line.AsSpan();
            foreach (var range in entries.Split(','))
            {
                var entry = entries[range].Trim(" \t");

                // An empty list element names nobody (RFC 9110 §5.6.1).
                if (!entry.IsEmpty && !IsLoopbackAddress(entry))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>
    /// Every <c>for=</c> of RFC 7239's <c>Forwarded</c> (<c>for=192.0.2.60;proto=https, for="[::1]:4711"</c>). Pairs are
    /// split at every <c>,</c> and <c>;</c>, inside a quoted value too: a value cut that way is no address, so a header
    /// written to confuse the split can only make the client less local.
    /// </summary>
    private static bool AreAllForwardedForLoopback(StringValues forwarded)
    {
        foreach (var line in forwarded)
        {
            var pairs = line.AsSpan();
            foreach (var range in pairs.SplitAny(",;"))
            {
                var pair = pairs[range].Trim(" \t");
                if (pair.StartsWith(ForParameter, StringComparison.OrdinalIgnoreCase) && !IsLoopbackAddress(Unquoted(pair[ForParameter.Length..])))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static ReadOnlySpan<char> Unquoted(ReadOnlySpan<char> value) =>
        value is ['"', .. var inner, '"'] ? inner : value;
}
