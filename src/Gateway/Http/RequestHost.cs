namespace FcGateway.Http;

/// <summary>
/// The request's host as the client sent it: the <c>Host</c> header, which Kestrel also fills from HTTP/2's
/// <c>:authority</c>. <see cref="HttpRequest.Host"/> is not that: it decodes punycode labels
/// (<c>xn--bcher-kva.example</c> becomes <c>bücher.example</c>, which no HTTP header may carry) and throws on a label
/// that does not decode (<c>xn--zz.example</c>), so any client could make each reader of it fault.
/// </summary>
internal static class RequestHost
{
    /// <summary>The host and port as sent, punycode kept.</summary>
    public static HostString Of(HttpRequest request) => new(request.Headers.Host.ToString());

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
