using System.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Http;

/// <summary>
/// The request's host as the client sent it: the <c>Host</c> header, which Kestrel also fills from HTTP/2's
/// <c>:authority</c>. <see cref="HttpRequest.Host"/> is not that: it decodes punycode labels
/// (<c>xn--bcher-kva.example</c> becomes <c>bücher.example</c>, which no HTTP header may carry) and throws on a label
/// that does not decode (<c>xn--zz.example</c>), so any client could make each reader of it fault.
/// </summary>
internal static class RequestHost
{
    /// <summary>
    /// The host and port as sent, punycode kept. An HTTP/1.0 request may come without <c>Host</c>; one whose target is in
    /// absolute form (<c>GET http://example.com/echo/ HTTP/1.0</c>) names its host there (RFC 9112 §3.2.2), and Kestrel
    /// leaves the header empty.
    /// </summary>
    public static HostString Of(HttpRequest request) =>
        request.Headers.Host.ToString() is { Length: > 0 } host ? new(host) : new(AuthorityOfAbsoluteTarget(request) ?? "");

    private static string? AuthorityOfAbsoluteTarget(HttpRequest request)
    {
        var target = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var scheme = target?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (target is null || scheme <= 0 || target.AsSpan(0, scheme).ContainsAnyExcept(SchemeCharacters))
        {
            return null;
        }

        var authority = target.AsSpan(scheme + 3);
        var end = authority.IndexOfAny('/', '?');
        authority = end < 0 ? authority : authority[..end];
        return authority[(authority.LastIndexOf('@') + 1)..].ToString();
    }

    private static readonly SearchValues<char> SchemeCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    /// <summary>
    /// Whether the host holds a punycode label that does not decode: ASP.NET Core's own readers of
    /// <see cref="HttpRequest.Host"/> (routing's host matching among them) would throw on it, so it is refused before them.
    /// </summary>
    public static bool HasUndecodablePunycode(HttpRequest request)
    {
        var host = request.Headers.Host.ToString();
        if (!host.Contains("xn--", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            _ = HostString.FromUriComponent(host);
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }
}
