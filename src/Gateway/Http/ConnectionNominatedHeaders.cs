using Microsoft.Net.Http.Headers;

namespace FcGateway.Http;

/// <summary>
/// The fields a message's <c>Connection</c> header names (its connection options, RFC 9110 §7.6.1) belong to that one
/// hop, so an intermediary removes them before passing the message on: from every request before anything reads it,
/// and from a web function's response. A few are never removed on a sender's word: the message's framing
/// (<c>Host</c>, <c>Content-Length</c>, <c>Transfer-Encoding</c>), an upgrade in progress, and the forwarding headers,
/// so that a client behind a trusted proxy cannot have the proxy's <c>X-Forwarded-For</c> dropped and pass for the
/// proxy.
/// </summary>
internal static class ConnectionNominatedHeaders
{
    /// <summary>The option of most HTTP/1.0 and many HTTP/1.1 clients, named without allocating on every request.</summary>
    private const string Close = "close";

    private static readonly string[] NeverRemoved = [HeaderNames.Host, HeaderNames.ContentLength, HeaderNames.TransferEncoding, HeaderNames.Upgrade];

    /// <summary>Removes from <paramref name="headers"/> every field their own <c>Connection</c> header names.</summary>
    public static void RemoveNamed(IHeaderDictionary headers)
    {
        foreach (var value in headers.Connection)
        {
            RemoveNamed(headers, value);
        }
    }

    /// <summary>Removes from <paramref name="headers"/> every field named in <paramref name="connection"/>, one value of a <c>Connection</c> header.</summary>
    public static void RemoveNamed(IHeaderDictionary headers, string? connection)
    {
        var options = connection.AsSpan();
        foreach (var range in options.Split(','))
        {
            var option = options[range].Trim(" \t");
            if (!option.IsEmpty && !IsNeverRemoved(option))
            {
                headers.Remove(NameOf(option));
            }
        }
    }

    private static bool IsNeverRemoved(ReadOnlySpan<char> name)
    {
        foreach (var kept in NeverRemoved)
        {
            if (name.Equals(kept, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return UntrustedForwardingHeaders.IsForwardingHeader(name);
    }

    private static string NameOf(ReadOnlySpan<char> option) =>
        option.Equals(HeaderNames.KeepAlive, StringComparison.OrdinalIgnoreCase) ? HeaderNames.KeepAlive
        : option.Equals(Close, StringComparison.OrdinalIgnoreCase) ? Close
        : option.ToString();
}
