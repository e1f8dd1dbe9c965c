using System.Net;
using FcGateway.Configuration;

namespace FcGateway.Http;

/// <summary>
/// The headers by which a proxy speaks for the client — its address, the host, scheme, port and path base it called —
/// believed only from trusted proxies once <c>Gateway:ForwardedHeaders:TrustedProxies</c> is set. From any other peer they
/// are removed before anything reads the request; <c>X-Forwarded-For</c> is then rebuilt from the peer alone
/// (<see cref="ForwardedFor"/>).
/// </summary>
internal static class UntrustedForwardingHeaders
{
    private static readonly string[] Names =
    [
        ForwardedFor.RealIpHeaderName, ForwardedFor.ClientIpHeaderName, ForwardedFor.ForwardedHeaderName, "X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-Port",
        "X-Forwarded-Prefix",
    ];

    /// <summary>Whether <paramref name="name"/> is one of these headers or <c>X-Forwarded-For</c>, in any case.</summary>
    public static bool IsForwardingHeader(ReadOnlySpan<char> name)
    {
        if (name.Equals(ForwardedFor.HeaderName, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var forwarding in Names)
        {
            if (name.Equals(forwarding, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Removes these headers unless <paramref name="peer"/> is a proxy <paramref name="proxies"/> trusts.</summary>
    public static void RemoveUnlessTrusted(IHeaderDictionary headers, IPAddress? peer, TrustedProxies proxies)
    {
        if (ForwardedFor.IsTrusted(proxies, peer))
        {
            return;
        }

        foreach (var name in Names)
        {
            headers.Remove(name);
        }
    }

    /// <summary>
    /// Removes these headers and <c>X-Forwarded-For</c> spelled with <c>_</c> (<c>X_Real_IP</c>), from every peer: no
    /// proxy writes them, but a CGI- or WSGI-style function reads them as the real ones (<see cref="CgiHeaderNames"/>),
    /// where they would stand beside — or in place of — what the gateway believed or rebuilt.
    /// </summary>
    public static void RemoveUnderscoreSpellings(IHeaderDictionary headers) =>
        HeaderRemoval.RemoveWhere(headers, static name => name.Contains('_') && IsUnderscoreSpelling(name));

    private static bool IsUnderscoreSpelling(string name)
    {
        if (CgiHeaderNames.AreSame(name, ForwardedFor.HeaderName))
        {
            return true;
        }

        foreach (var forwarding in Names)
        {
            if (CgiHeaderNames.AreSame(name, forwarding))
            {
                return true;
            }
        }

        return false;
    }
}
