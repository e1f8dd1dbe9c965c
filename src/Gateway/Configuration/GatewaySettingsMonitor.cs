namespace FcGateway.Configuration;

/// <summary>
/// Holds the <see cref="GatewaySettings"/> in force: those read at start-up, then each reload's once it is accepted
/// together with the <c>ReverseProxy</c> section it came with (<see cref="GatewayProxyConfigProvider"/>).
/// </summary>
internal sealed class GatewaySettingsMonitor
{
    private GatewaySettings _current;

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

    /// <summary>Puts <paramref name="settings"/> in force; invocations that started keep the snapshot they took.</summary>
    public void Apply(GatewaySettings settings)
    {
        Volatile.Write(ref _current, settings);
        Applied?.Invoke(settings);
    }
}
