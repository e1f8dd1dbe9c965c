using System.Net;
using Microsoft.AspNetCore.Http;

namespace FcGateway.Configuration;

/// <summary>
/// Two of the gateway's own listeners on one port: the clients' (<c>Kestrel:Endpoints</c>, else <c>Urls</c>), the runtime
/// API's (<c>Gateway:RuntimeApi:Urls</c>, when it starts) and each function's <c>RuntimeApiUrl</c>. Found before any of
/// them binds, since the second bind would fail with "address already in use", as though another program held the port.
/// A port of 0 (any free port) and an address that is a problem of its own (it does not parse, or names a host other than
/// an IP address or localhost) take part in no collision.
/// </summary>
internal static class ListenerCollisions
{
    public static IEnumerable<string> Find(IConfiguration configuration, GatewaySettings settings)
    {
        var listeners = new List<Listener>();
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().ToList();
        foreach (var endpoint in endpoints)
        {
            Add(listeners, $"{endpoint.Path}:Url", endpoint["Url"]);
        }

        if (endpoints.Count == 0)
        {
            // Kestrel listens on Urls only when no endpoint is configured.
            AddEach(listeners, "Urls", configuration[WebHostDefaults.ServerUrlsKey]);
        }

        if (settings.StartsRuntimeApi)
        {
            AddEach(listeners, $"{GatewaySettingsReader.SectionName}:RuntimeApi:Urls", settings.RuntimeApi.Urls);
        }

        foreach (var (name, function) in settings.Functions)
        {
            if (function.RuntimeApiUrl is { Port: > 0 } own)
            {
                listeners.Add(new($"{GatewaySettingsReader.SectionName}:Functions:{name}:RuntimeApiUrl", own.ToString(), [own.Address], own.Port));
            }
        }

        for (var later = 1; later < listeners.Count; later++)
        {
            for (var earlier = 0; earlier < later; earlier++)
            {
                if (listeners[earlier].Overlaps(listeners[later]))
                {
                    var (first, second) = (listeners[earlier], listeners[later]);
                    yield return $"{second.Key}: '{second.Url}' is port {second.Port} of an address {first.Key} listens on too ('{first.Url}'); "
                        + "the gateway cannot listen there twice: give one of them another port.";
                    break;
                }
            }
        }
    }

    private static void AddEach(List<Listener> listeners, string key, string? urls)
    {
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Add(listeners, key, url);
        }
    }

    private static void Add(List<Listener> listeners, string key, string? url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url ?? "");
        }
        catch (FormatException)
        {
            return;
        }

        var host = address.Host.Trim('[', ']');
        if (address.IsUnixPipe || address.Port <= 0 || !ListenAddress.IsListenedOnAsWritten(host))
        {
            return;
        }

        IPAddress[] addresses = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : IPAddress.TryParse(host, out var ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any) ? [ip]
            : [];
        listeners.Add(new(key, url!, addresses, address.Port));
    }

    /// <summary>
    /// A listener: the key that configures it, its URL as written, the addresses it binds (none for every interface:
    /// <c>*</c>, <c>+</c>, <c>0.0.0.0</c>, <c>[::]</c>) and its port.
    /// </summary>
    private sealed record Listener(string Key, string Url, IPAddress[] Addresses, int Port)
    {
        public bool Overlaps(Listener other) =>
            Port == other.Port && (Addresses.Length == 0 || other.Addresses.Length == 0 || Addresses.Intersect(other.Addresses).Any());
    }
}
