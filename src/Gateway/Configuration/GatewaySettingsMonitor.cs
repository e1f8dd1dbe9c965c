using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// Holds the <see cref="GatewaySettings"/> in force: those read at start-up, then each reload's once it is accepted
/// together with the <c>ReverseProxy</c> section it came with (<see cref="GatewayProxyConfigProvider"/>).
/// </summary>
internal sealed class GatewaySettingsMonitor
{
    private GatewaySettings _current;
    private SwitchingEdit? _switching;

    public GatewaySettingsMonitor(IConfiguration configuration)
    {
        _current = GatewaySettingsReader.Read(configuration.GetSection(GatewaySettingsReader.SectionName), out var errors);
        StartupErrors = errors;
    }

    /// <summary>The settings in force.</summary>
    public GatewaySettings Current => Volatile.Read(ref _current);

    /// <summary>What was wrong with the settings read at start-up; start-up fails unless this is empty.</summary>
    public IReadOnlyList<string> StartupErrors { get; }

    /// <summary>Raised with each settings put in force after start-up, for what reads them once rather than per request.</summary>
    public event Action<GatewaySettings>? Applied;

    /// <summary>
    /// Puts <paramref name="settings"/> in force; invocations that started keep the snapshot they took. With
    /// <paramref name="switching"/>, YARP is switching to that edit's routes, which are served with its settings. The
    /// edit stays known once its own settings are put in force (YARP reported its routes applied): a request that took
    /// its snapshot before and is routed only now to a route the edit adds or changes is served with the edit's settings
    /// too, not with its snapshot's trigger for the route that one replaces.
    /// </summary>
    public void Apply(GatewaySettings settings, SwitchingEdit? switching = null)
    {
        if (switching is not null || !ReferenceEquals(settings, Volatile.Read(ref _switching)?.Settings))
        {
            Volatile.Write(ref _switching, switching);
        }

        Volatile.Write(ref _current, settings);
        Applied?.Invoke(settings);
    }

    /// <summary>
    /// The settings of the edit YARP switches to, or last switched to, when <paramref name="route"/> is one of the routes
    /// it adds or changes and the request's snapshot, <paramref name="taken"/>, is not the edit's own: YARP serves those
    /// routes before it reports them applied, and the settings in force until then go with the routes they replace.
    /// Null otherwise, at once for a request that took its snapshot once the edit was in force.
    /// </summary>
    public GatewaySettings? SettingsServing(RouteConfig route, GatewaySettings taken) =>
        Volatile.Read(ref _switching) is { } switching && !ReferenceEquals(switching.Settings, taken) && switching.Serves(route) ? switching.Settings : null;
}
