using System.Net;
using System.Net.Sockets;

namespace FcGateway.Configuration;

/// <summary>
/// Two of the gateway's own listeners on one port: the clients' (<c>Kestrel:Endpoints</c>, else <c>Urls</c>, else
/// <c>HTTP_PORTS</c> and <c>HTTPS_PORTS</c>, else <c>http://localhost:5000</c>, as Kestrel chooses), the runtime API's
/// (<c>Gateway:RuntimeApi:Urls</c>, when it starts) and each function's <c>RuntimeApiUrl</c>. Found before any of them
/// binds, since the second bind would fail with "address already in use", as though another program held the port.
/// A port of 0 (any free port) and an address that is a problem of its own (it does not parse, or names a host other
/// than an IP address or localhost) take part in no collision. At a reload, the clients' listeners a gateway started on
/// <c>Urls</c> (or the ports, or the default) stay bound whatever the edit says, and endpoints the edit adds bind beside
/// them: the check counts them so (<see cref="StartupListenersEditsKeep"/>); and an edit that removes every endpoint of
/// a gateway started with some keeps those in force (<see cref="AcceptedKestrelSection"/>), so the check counts them
/// rather than the edit's <c>Urls</c> or Kestrel's default, which are not bound.
/// </summary>
internal static class ListenerCollisions
{
    private const string ClientDefault = "http://localhost:5000";

    private static readonly AddressFamily[] BothFamilies = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    /// <param name="configuration">The configuration to check: the one the gateway starts with, or an edit.</param>
    /// <param name="settings">Its gateway settings.</param>
    /// <param name="startupUrls">At a reload, <see cref="StartupListenersEditsKeep"/> of the start-up configuration.</param>
    /// <param name="keptEndpoints">At a reload, <see cref="AcceptedKestrelSection.EndpointsKeptBy"/> the edit.</param>
    public static IEnumerable<string> Find(
        IConfiguration configuration, GatewaySettings settings, IConfiguration? startupUrls = null, IConfigurationSection? keptEndpoints = null)
    {
        var listeners = new List<Listener>();
        AddClients(listeners, configuration, startupUrls, keptEndpoints);
        if (settings.StartsRuntimeApi)
        {
            AddEach(listeners, $"{GatewaySettingsReader.SectionName}:RuntimeApi:Urls", settings.RuntimeApi.Urls);
        }

        foreach (var (name, function) in settings.Functions)
        {
            if (function.RuntimeApiUrl is { Port: > 0 } own)
            {
                // 0.0.0.0 and [::] are every interface here too: Kestrel's transport binds [::] dual-mode.
                var (addresses, anyOf) = Binds(own.Address);
                listeners.Add(new($"{GatewaySettingsReader.SectionName}:Functions:{name}:RuntimeApiUrl", $"http://{own}", addresses, anyOf, own.Port));
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

    /// <summary>
    /// The settings of the clients' listeners that no edit unbinds, as a configuration of their own: those of a gateway
    /// that starts with no <c>Kestrel:Endpoints</c> (Kestrel binds <c>Urls</c>, the ports or its default at start-up
    /// only, and rebinds only the endpoints an edit changes); null when it starts with endpoints, which edits move.
    /// </summary>
    public static IConfiguration? StartupListenersEditsKeep(IConfiguration startup) =>
        KestrelKeys.HasEndpoints(startup)
            ? null
            : new ConfigurationBuilder().AddInMemoryCollection(
                [.. new[] { WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey }
                    .Select(key => KeyValuePair.Create(key, startup[key]))]).Build();

    /// <summary>
    /// Where Kestrel listens for clients: its endpoints, else <c>Urls</c>, else the ports, else its default; at a reload
    /// of a gateway started without endpoints, the edit's endpoints beside what it started on, and of one started with
    /// some, the endpoints in force when the edit removes every one.
    /// </summary>
    private static void AddClients(List<Listener> listeners, IConfiguration configuration, IConfiguration? startupUrls, IConfigurationSection? keptEndpoints)
    {
        if (startupUrls is not null)
        {
            AddUrls(listeners, startupUrls);
        }

        var endpoints = (keptEndpoints ?? configuration.GetSection(KestrelKeys.EndpointsSectionName)).GetChildren().ToList();
        foreach (var endpoint in endpoints)
        {
            var key = keptEndpoints is null ? $"{endpoint.Path}:Url" : $"{endpoint.Path}:Url (kept in force: the edit removes every endpoint)";
            Add(listeners, key, endpoint["Url"]);
        }

        if (startupUrls is null && endpoints.Count == 0)
        {
            AddUrls(listeners, configuration);
        }
    }

    /// <summary>Where Kestrel listens for clients without endpoints: <c>Urls</c>, else the ports, else its default.</summary>
    private static void AddUrls(List<Listener> listeners, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey]))
        {
            AddEach(listeners, "Urls", configuration[WebHostDefaults.ServerUrlsKey]);
            return;
        }

        var ports = (Key: "HTTP_PORTS", Scheme: "http", Ports: configuration[WebHostDefaults.HttpPortsKey]);
        var tlsPorts = (Key: "HTTPS_PORTS", Scheme: "https", Ports: configuration[WebHostDefaults.HttpsPortsKey]);
        if (string.IsNullOrWhiteSpace(ports.Ports) && string.IsNullOrWhiteSpace(tlsPorts.Ports))
        {
            Add(listeners, "Urls (unset: Kestrel's default)", ClientDefault);
            return;
        }

        foreach (var (key, scheme, list) in (ReadOnlySpan<(string, string, string?)>)[ports, tlsPorts])
        {
            foreach (var port in (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Add(listeners, key, $"{scheme}://*:{port}");
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

        // Kestrel binds localhost on both loopbacks, and [::], * and + on both families (a dual-mode socket).
        var (addresses, anyOf) = string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? ([IPAddress.Loopback, IPAddress.IPv6Loopback], [])
            : host is "*" or "+" ? ([], BothFamilies)
            : Binds(IPAddress.Parse(host));
        listeners.Add(new(key, url!, addresses, anyOf, address.Port));
    }

    /// <summary>What binding <paramref name="ip"/> takes: <c>0.0.0.0</c> IPv4's every address, <c>[::]</c> both families', else itself.</summary>
    private static (IPAddress[] Addresses, AddressFamily[] AnyOf) Binds(IPAddress ip) =>
        ip.Equals(IPAddress.Any) ? ([], [AddressFamily.InterNetwork])
        : ip.Equals(IPAddress.IPv6Any) ? ([], BothFamilies)
        : ([ip], []);

    /// <summary>
    /// A listener: the key that configures it, its URL as written, the addresses it binds, the families it binds whole
    /// (every interface: <c>0.0.0.0</c> IPv4's, <c>[::]</c>, <c>*</c> and <c>+</c> both) and its port.
    /// </summary>
    private sealed record Listener(string Key, string Url, IPAddress[] Addresses, AddressFamily[] AnyOf, int Port)
    {
        public bool Overlaps(Listener other) =>
            Port == other.Port && (Addresses.Intersect(other.Addresses).Any() || Covers(other) || other.Covers(this));

        private bool Covers(Listener other) =>
            other.Addresses.Any(address => AnyOf.Contains(address.AddressFamily)) || other.AnyOf.Intersect(AnyOf).Any();
    }
}
