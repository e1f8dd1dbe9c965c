using System.Net;
using FcGateway.Http;
using Microsoft.Extensions.Primitives;

namespace FcGateway.Edge.Requests;

/// <summary>
/// Whether a request comes from this machine: its TCP peer is a loopback address and so is every client a proxy says
/// it forwarded the request for (<c>X-Forwarded-For</c>, <c>X-Real-IP</c>). A local proxy in front of the gateway
/// forwarding for an internet client is then not a loopback caller. By the time this is asked, the forwarding headers
/// of peers that are not trusted proxies are gone (<see cref="UntrustedForwardingHeaders"/>); a client that sends its
/// own can only make itself less local, never more.
/// </summary>
internal static class LoopbackClient
{
    public static bool IsLoopback(HttpContext context)
    {
        var headers = context.Request.Headers;
        return IsLoopback(context.Connection.RemoteIpAddress)
            && AreAllLoopback(headers[ForwardedFor.HeaderName])
            && AreAllLoopback(headers[ForwardedFor.RealIpHeaderName]);
    }

    private static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static bool AreAllLoopback(StringValues forwardedFor)
    {
        foreach (var line in forwardedFor)
        {
            var entries = line.AsSpan();
            foreach (var range in entries.Split(','))
            {
                var entry = entries[range].Trim(" \t");

                // An empty list element names nobody (RFC 9110 §5.6.1); anything that is not an address, such as
                // "unknown" or an obfuscated identifier, may be anyone and so is not loopback.
                if (!entry.IsEmpty && !(IPEndPoint.TryParse(entry, out var client) && IsLoopback(client.Address)))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
