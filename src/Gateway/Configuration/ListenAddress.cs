using System.Net;

namespace FcGateway.Configuration;

/// <summary>An address to listen on written as a URL, <c>http://{IP address or localhost}:{port}</c>, as a socket's end point.</summary>
internal static class ListenAddress
{
    /// <summary>False when <paramref name="url"/> is not plain HTTP on an IP address (or <c>localhost</c>) with no path.</summary>
    public static bool TryParse(string url, out IPEndPoint endpoint)
    {
        endpoint = null!;
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp
            || uri.PathAndQuery != "/" || uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            return false;
        }

        IPAddress? address = uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns ? IPAddress.Loopback
            : IPAddress.TryParse(uri.IdnHost, out var parsed) ? parsed
            : null;
        if (address is null)
        {
            return false;
        }

        endpoint = new IPEndPoint(address, uri.Port);
        return true;
    }

    /// <summary>
    /// Whether Kestrel listens on <paramref name="host"/> as written: an IP address, <c>localhost</c>, or its wildcards
    /// <c>*</c> and <c>+</c>. For any other host (a host name, a mistyped address such as <c>127.0.0.l</c>) it listens
    /// on every interface.
    /// </summary>
    public static bool IsListenedOnAsWritten(string host) =>
        host is "*" or "+" || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || IPAddress.TryParse(host, out _);
}
