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
    /// <paramref name="switching"/>, YARP is switching to that edit's routes, which are served with its settings.
    /// </summary>
    public void Apply(GatewaySettings settings, SwitchingEdit? switching = null)
    {
        Volatile.Write(ref _switching, switching);
        Volatile.Write(ref _current, settings);
        Applied?.Invoke(settings);
    }

    /// <summary>
    /// The settings of the edit YARP is switching to when <paramref name="route"/> is one of the routes it adds or
    /// changes: YARP serves them before it reports them applied, and the settings in force until then go with the
    /// routes they replace. Null otherwise.
    /// </summary>
    public GatewaySettings? SettingsServing(RouteConfig route) =>
        Volatile.Read(ref _switching) is { } switching && switching.Serves(route) ? switching.Settings : null;
}
