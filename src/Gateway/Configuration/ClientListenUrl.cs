using System.Net;

namespace FcGateway.Configuration;

/// <summary>
/// What is wrong with an address the clients' listener is given (<c>Urls</c>, <c>Kestrel:Endpoints:{name}:Url</c>), judged
/// as Kestrel will read it: Kestrel would stop start-up with an exception for most of these, and for a host that is
/// neither an IP address nor <c>localhost</c> (<c>127.0.0.l</c>, a host name) it would listen on every interface.
/// </summary>
internal static class ClientListenUrl
{
    /// <summary>Why <paramref name="url"/> cannot be listened on as meant, or null when it can.</summary>
    public static string? Problem(string url)
    {
        if (url.Length > 0 && (char.IsWhiteSpace(url[0]) || char.IsWhiteSpace(url[^1])))
        {
            return $"'{url}' has spaces around it, which Kestrel reads as part of the address: remove them.";
        }

        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return $"'{url}' is not an address to listen on, such as http://127.0.0.1:8080 or https://0.0.0.0:8443.";
        }

        if (address.IsUnixPipe || address.IsNamedPipe)
        {
            return null;
        }

        // Kestrel compares the scheme ignoring case, as URIs do (HTTP://0.0.0.0:8080 is an http address).
        return address.Scheme.ToLowerInvariant() is not ("http" or "https") ? $"'{url}' is neither http:// nor https://, the schemes the gateway serves."
            : address.PathBase.Length > 0 ? $"'{url}' has a path ('{address.PathBase}'); an address to listen on has none."
            : address.Port is < 0 or > IPEndPoint.MaxPort ? $"'{url}' has no port between 0 and {IPEndPoint.MaxPort}."
            : !ListenAddress.IsListenedOnAsWritten(address.Host) ? $"'{url}': '{address.Host}' is neither an IP address nor localhost, for which Kestrel would listen on every interface; write http://0.0.0.0:{address.Port} (or [::], *) to mean that, or the IP address to listen on."
            : null;
    }
}
