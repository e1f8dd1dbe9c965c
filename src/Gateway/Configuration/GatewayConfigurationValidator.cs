using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// Checks the whole configuration before the gateway starts, as every reload is checked
/// (<see cref="GatewayProxyConfigProvider"/>): the <c>Gateway</c> section, the <c>ReverseProxy</c> section's conversion,
/// and the two together (<see cref="ConfigurationProblems"/>), then the <c>Kestrel</c> endpoints and the <c>OpenTelemetry</c> section (read when the services
/// were registered, <see cref="StartupSectionProblems"/>), and the listeners that would share a port
/// (<see cref="ListenerCollisions"/>). Every problem is reported at once.
/// </summary>
internal sealed class GatewayConfigurationValidator(
    GatewayProxyConfigProvider proxyConfig,
    IConfigValidator yarpValidator,
    GatewaySettingsMonitor settings,
    StartupSectionProblems sectionProblems,
    IConfiguration configuration,
    ILogger<GatewayConfigurationValidator> logger)
{
    public async Task ThrowIfInvalidAsync()
    {
        var problems = new List<string>(settings.StartupErrors);
        problems.AddRange(proxyConfig.StartupProblems);
        if (proxyConfig.StartupReading is { } reading)
        {
            await ConfigurationProblems.FindAsync(reading.Routes, reading.Clusters, settings.Current, yarpValidator, logger, problems);
        }

        problems.AddRange(sectionProblems.Problems);
        problems.AddRange(ListenerCollisions.Find(configuration, settings.Current));
        if (problems.Count > 0)
        {
            throw new GatewayConfigurationException(problems);
        }
    }
}
