using FcGateway.Http;

namespace FcGateway.Dialects.FcV1.Output;

/// <summary>
/// Which headers a function may set (wire contract §3): reserved names and every <c>x-fc-</c> header are
/// ignored; names that are not HTTP tokens and values with control or non-ASCII characters
/// (<see cref="HttpTokens"/>) are dropped. <c>te</c> is reserved too: a hop-by-hop field (RFC 9110 §7.6.1) that an
/// HTTP/2 response may not carry — clients reset the stream of one that does (RFC 9113 §8.2.2); so is
/// <c>proxy-connection</c>, connection-specific alike, which YARP leaves out of a web function's response too, and
/// <c>http2-settings</c>, which belongs to the one connection an <c>Upgrade: h2c</c> would change (RFC 7540 §3.2.1) and is
/// left out of the event for the same reason.
/// </summary>
internal static class ResponseHeaderRules
{
    private static readonly string[] ReservedNames =
    [
        "connection", "content-length", "date", "keep-alive", "server", "content-disposition", "upgrade", "transfer-encoding", "te",
        "proxy-connection", "http2-settings",
    ];

    /// <summary>Whether a function may not set <paramref name="name"/>: a reserved name or an <c>x-fc-</c> header.</summary>
    public static bool IsReserved(ReadOnlySpan<char> name)
    {
        if (FcHeaders.IsFcHeader(name))
        {
            return true;
        }

        foreach (var reserved in ReservedNames)
        {
            if (name.Equals(reserved, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
