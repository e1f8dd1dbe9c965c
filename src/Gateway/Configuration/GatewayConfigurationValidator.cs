using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// Checks the whole configuration before the gateway starts, as every reload is checked
/// (<see cref="GatewayProxyConfigProvider"/>): the <c>Gateway</c> section, the <c>ReverseProxy</c> section's conversion,
/// and the two together (<see cref="ConfigurationProblems"/>), then the <c>Kestrel</c> endpoints and the <c>OpenTelemetry</c> section (read when the services
/// were registered, <see cref="StartupSectionProblems"/>), and the listeners that would share a port
/// (<see cref="ListenerCollisions"/>). Every problem is reported at once. A content root without <c>appsettings.json</c>
/// and no route from another source is named as such: "no routes" alone would not say that the file was never read.
/// </summary>
internal sealed class GatewayConfigurationValidator(
    GatewayProxyConfigProvider proxyConfig,
    IConfigValidator yarpValidator,
    GatewaySettingsMonitor settings,
    StartupSectionProblems sectionProblems,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<GatewayConfigurationValidator> logger)
{
    public async Task ThrowIfInvalidAsync()
    {
        var problems = new List<string>(settings.StartupErrors);
        problems.AddRange(proxyConfig.StartupProblems);
        if (proxyConfig.StartupReading is { } reading)
        {
            var settingsFile = Path.Combine(environment.ContentRootPath, "appsettings.json");
            if (reading.Routes.Count == 0 && !File.Exists(settingsFile))
            {
                problems.Add($"There is no appsettings.json in the content root ('{settingsFile}'), and no route is configured elsewhere: start the gateway in the folder that holds its appsettings.json, or pass --contentRoot <that folder>.");
            }

            (await ConfigurationProblems.FindAsync(reading.Routes, reading.Clusters, settings.Current, yarpValidator, problems)).Log(logger);
        }

        problems.AddRange(sectionProblems.Problems);
        problems.AddRange(ListenerCollisions.Find(configuration, settings.Current));
        if (problems.Count > 0)
        {
            throw new GatewayConfigurationException(problems);
        }
    }
}
