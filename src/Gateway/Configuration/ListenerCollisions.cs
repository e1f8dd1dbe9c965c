using System.Net;
using System.Net.Sockets;

namespace FcGateway.Configuration;

/// <summary>
/// Two of the gateway's own listeners on one port: the clients' (<c>Kestrel:Endpoints</c>, else <c>Urls</c>, else
/// <c>HTTP_PORTS</c> and <c>HTTPS_PORTS</c>, else <c>http://localhost:5000</c>, as Kestrel chooses), the runtime API's
/// (<c>Gateway:RuntimeApi:Urls</c>, when it starts) and each function's <c>RuntimeApiUrl</c>. Found before any of them
/// binds, since the second bind would fail with "address already in use", as though another program held the port.
/// A port of 0 (any free port) and an address that is a problem of its own (it does not parse, or names a host other
/// than an IP address or localhost) take part in no collision, except the runtime API's, the clients' <c>Urls</c> and the
/// endpoints in force once bound, known then by the port they took. A configuration is checked as a start reads it (<see cref="Find"/>); an edit is checked both for what
/// Kestrel binds when it is taken, since the other listeners are bound at start-up only, and as the next start will read
/// it, since an edit that start would refuse is refused at the reload too (<see cref="FindInEdit"/>).
/// </summary>
internal static partial class ListenerCollisions
{
    private const string ClientDefault = "http://localhost:5000";

    private const string ClientDefaultKey = "Urls (unset: Kestrel's default)";

    private const string BoundSinceStartup = " (bound since start-up)";

    private static readonly AddressFamily[] BothFamilies = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    /// <summary>The collisions of <paramref name="configuration"/> as a start-up reads it: the one the gateway starts with.</summary>
    /// <param name="configuration">The configuration to check.</param>
    /// <param name="settings">Its gateway settings.</param>
    public static IEnumerable<string> Find(IConfiguration configuration, GatewaySettings settings) =>
        AtStart(configuration, settings).Select(collision => collision.Message);

    /// <summary>
    /// The collisions of <paramref name="edit"/>, each mistake named once. First those of what binds when it is taken: its
    /// <c>Kestrel:Endpoints</c>, which Kestrel rebinds, against the listeners bound at start-up that no edit moves: the
    /// runtime API's and functions' as bound (their <c>Urls</c> and <c>RuntimeApiUrl</c> are read at start-up only; a port
    /// of 0 is the one taken), and the clients' of a gateway that started without endpoints, which stay bound beside the
    /// endpoints an edit adds (as bound too), and the endpoints in force on port 0 the edit keeps, by the port each took
    /// (<see cref="AddEndpointsKeptOnPort0"/>). An edit without endpoints binds nothing (one that would leave the clients no listener is
    /// refused: <see cref="ClientListenersRemoved"/>). Then those of the edit as the gateway's next start will read it
    /// (<see cref="Find"/>), each saying that start would refuse it: its own <c>Urls</c>, <c>Gateway:RuntimeApi:Urls</c> and
    /// <c>RuntimeApiUrl</c> bind nothing before then, but an edit the next start would refuse is refused at the reload, so
    /// that a file that would stop the gateway's next start is never taken. One of those between the same two keys on the
    /// same port as one bound now is the same mistake, named once, as bound now.
    /// </summary>
    /// <param name="edit">The edited configuration.</param>
    /// <param name="settings">Its gateway settings.</param>
    /// <param name="bound">The gateway's listeners as the edit is judged.</param>
    public static IEnumerable<string> FindInEdit(IConfiguration edit, GatewaySettings settings, BoundListeners bound)
    {
        var listeners = new List<Listener>();
        if (bound.StartupUrls is not null && bound.StartupUrlsBound.Count > 0)
        {
            foreach (var url in bound.StartupUrlsBound)
            {
                Add(listeners, UrlsKey(bound.StartupUrls, url), BoundSinceStartup, url);
            }
        }
        else if (bound.StartupUrls is not null)
        {
            AddUrls(listeners, bound.StartupUrls, BoundSinceStartup);
        }

        if (bound.RuntimeApiBound.Count > 0)
        {
            foreach (var (key, url) in bound.RuntimeApiBound)
            {
                Add(listeners, key, BoundSinceStartup, url);
            }
        }
        else
        {
            AddRuntimeApi(listeners, bound.Startup, BoundSinceStartup);
        }

        var endpointsBound = bound.StartupUrls is null ? bound.ClientsBound : bound.ClientsBound.Except(bound.StartupUrlsBound);
        AddEndpointsKeptOnPort0(listeners, bound.KestrelInForce, edit.GetSection(KestrelKeys.SectionName), endpointsBound, bound.DevelopmentCertificate);
        AddEndpoints(listeners, edit.GetSection(KestrelKeys.EndpointsSectionName));
        var boundNow = Collisions(listeners).ToList();
        var atNextStart = AtStart(edit, settings).Where(collision => !boundNow.Exists(collision.IsTheSameMistakeAs));
        return [.. boundNow.Select(collision => collision.Message),
            .. atNextStart.Select(collision => $"{collision.Message} The gateway's next start would refuse this, so the edit is refused now.")];
    }

    /// <summary>
    /// The settings of the clients' listeners that no edit unbinds, as a configuration of their own: those of a gateway
    /// whose Kestrel starts with no endpoints in <paramref name="kestrel"/> (Kestrel binds <c>Urls</c>, the ports or its
    /// default at start-up only, and rebinds only the endpoints an edit changes); null when it starts with endpoints,
    /// which edits move.
    /// </summary>
    /// <param name="startup">The configuration Kestrel starts with: its <c>Urls</c> and ports.</param>
    /// <param name="kestrel">The <c>Kestrel</c> section Kestrel starts with (<see cref="AcceptedKestrelSection"/>).</param>
    public static IConfiguration? StartupListenersEditsKeep(IConfiguration startup, IConfigurationSection kestrel) =>
        kestrel.GetSection("Endpoints").GetChildren().Any()
            ? null
            : new ConfigurationBuilder().AddInMemoryCollection(
                [.. new[] { WebHostDefaults.ServerUrlsKey, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey }
                    .Select(key => KeyValuePair.Create(key, startup[key]))]).Build();

    /// <summary>The collisions of <paramref name="configuration"/> as a start-up reads it.</summary>
    private static IEnumerable<Collision> AtStart(IConfiguration configuration, GatewaySettings settings)
    {
        var listeners = new List<Listener>();
        if (KestrelKeys.HasEndpoints(configuration))
        {
            AddEndpoints(listeners, configuration.GetSection(KestrelKeys.EndpointsSectionName));
        }
        else
        {
            AddUrls(listeners, configuration, "");
        }

        AddRuntimeApi(listeners, settings, "");
        return Collisions(listeners);
    }

    /// <summary>Each listener on an address and port an earlier one listens on, with the first such.</summary>
    private static IEnumerable<Collision> Collisions(List<Listener> listeners)
    {
        for (var later = 1; later < listeners.Count; later++)
        {
            for (var earlier = 0; earlier < later; earlier++)
            {
                if (listeners[earlier].Overlaps(listeners[later]))
                {
                    yield return new Collision(listeners[earlier], listeners[later]);
                    break;
                }
            }
        }
    }

    private static void AddEndpoints(List<Listener> listeners, IConfigurationSection endpoints)
    {
        foreach (var endpoint in endpoints.GetChildren())
        {
            Add(listeners, $"{endpoint.Path}:Url", "", endpoint["Url"]);
        }
    }

    /// <summary>
    /// The runtime API's listeners, when it starts: its <c>Urls</c>, and each function's own port; each key followed by
    /// <paramref name="note"/> (as the clients' <c>Urls</c> in <see cref="AddUrls"/>).
    /// </summary>
    private static void AddRuntimeApi(List<Listener> listeners, GatewaySettings settings, string note)
    {
        if (!settings.StartsRuntimeApi)
        {
            return;
        }

        AddEach(listeners, $"{GatewaySettingsReader.SectionName}:RuntimeApi:Urls", note, settings.RuntimeApi.Urls);
        foreach (var (name, function) in settings.Functions)
        {
            if (function.RuntimeApiUrl is { Port: > 0 } own)
            {
                // 0.0.0.0 and [::] are every interface here too: Kestrel's transport binds [::] dual-mode.
                var (addresses, anyOf) = Binds(own.Address);
                listeners.Add(new($"{GatewaySettingsReader.SectionName}:Functions:{name}:RuntimeApiUrl", note, $"http://{own}", addresses, anyOf, own.Port));
            }
        }
    }

    /// <summary>
    /// Where Kestrel listens for clients without endpoints: <c>Urls</c>, else the ports, else its default; each key followed
    /// by <paramref name="note"/>, which says when they bound.
    /// </summary>
    private static void AddUrls(List<Listener> listeners, IConfiguration configuration, string note)
    {
        if (!string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey]))
        {
            AddEach(listeners, "Urls", note, configuration[WebHostDefaults.ServerUrlsKey]);
            return;
        }

        var ports = (Key: "HTTP_PORTS", Scheme: "http", Ports: configuration[WebHostDefaults.HttpPortsKey]);
        var tlsPorts = (Key: "HTTPS_PORTS", Scheme: "https", Ports: configuration[WebHostDefaults.HttpsPortsKey]);
        if (string.IsNullOrWhiteSpace(ports.Ports) && string.IsNullOrWhiteSpace(tlsPorts.Ports))
        {
            Add(listeners, ClientDefaultKey, note, ClientDefault);
            return;
        }

        foreach (var (key, scheme, list) in (ReadOnlySpan<(string, string, string?)>)[ports, tlsPorts])
        {
            foreach (var port in (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Add(listeners, key, note, $"{scheme}://*:{port}");
            }
        }
    }

    /// <summary>The key that made Kestrel bind <paramref name="url"/> for clients without endpoints, named as <see cref="AddUrls"/> names it.</summary>
    private static string UrlsKey(IConfiguration configuration, string url) =>
        !string.IsNullOrWhiteSpace(configuration[WebHostDefaults.ServerUrlsKey]) ? "Urls"
        : string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpPortsKey]) && string.IsNullOrWhiteSpace(configuration[WebHostDefaults.HttpsPortsKey]) ? ClientDefaultKey
        : url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) ? "HTTPS_PORTS" : "HTTP_PORTS";

    private static void AddEach(List<Listener> listeners, string key, string note, string? urls)
    {
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Add(listeners, key, note, url);
        }
    }

    private static void Add(List<Listener> listeners, string key, string note, string? url)
    {
        if (Parse(url) is not { } address)
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
        listeners.Add(new(key, note, url!, addresses, anyOf, address.Port));
    }

    /// <summary>What binding <paramref name="ip"/> takes: <c>0.0.0.0</c> IPv4's every address, <c>[::]</c> both families', else itself.</summary>
    private static (IPAddress[] Addresses, AddressFamily[] AnyOf) Binds(IPAddress ip) =>
        ip.Equals(IPAddress.Any) ? ([], [AddressFamily.InterNetwork])
        : ip.Equals(IPAddress.IPv6Any) ? ([], BothFamilies)
        : ([ip], []);
}
