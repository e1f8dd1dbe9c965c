using FcGateway.Diagnostics;

namespace FcGateway.Configuration;

/// <summary>
/// The top-level sections of the configuration files (<c>appsettings.json</c>, <c>appsettings.{Environment}.json</c>)
/// that nothing reads: a misspelt <c>Gatway</c> or <c>ReverseProxi</c> would otherwise leave the gateway running without
/// what it says, as if the file did not have it. Environment variables and the command line are not checked: the first
/// hold the whole environment, the second the host's own switches.
/// </summary>
internal static class TopLevelSections
{
    /// <summary>The sections the gateway and its host read, as they are listed to the user.</summary>
    private static readonly string[] Read =
    [
        ReverseProxySection.Name, GatewaySettingsReader.SectionName, LogLevelProblems.SectionName, KestrelKeys.SectionName,
        TelemetrySettings.SectionName, "AllowedHosts", "Urls",
    ];

    /// <summary>The host's own keys (ASP.NET Core's <see cref="WebHostDefaults"/>), and a JSON schema's reference.</summary>
    private static readonly HashSet<string> Known = new(
        [
            .. Read, WebHostDefaults.HttpPortsKey, WebHostDefaults.HttpsPortsKey, WebHostDefaults.EnvironmentKey,
            WebHostDefaults.ContentRootKey, WebHostDefaults.ApplicationKey, WebHostDefaults.WebRootKey, WebHostDefaults.DetailedErrorsKey,
            WebHostDefaults.ShutdownTimeoutKey, WebHostDefaults.PreventHostingStartupKey, WebHostDefaults.HostingStartupAssembliesKey,
            WebHostDefaults.HostingStartupExcludeAssembliesKey, WebHostDefaults.SuppressStatusMessagesKey, WebHostDefaults.PreferHostingUrlsKey,
            WebHostDefaults.CaptureStartupErrorsKey, WebHostDefaults.StartupAssemblyKey, "startupTimeoutSeconds", "$schema",
        ],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The prefix of the OpenTelemetry SDK's keys (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, …), which it reads from any
    /// configuration source, a file included: each is a top-level key of its own.
    /// </summary>
    private const string OpenTelemetryKeyPrefix = "OTEL_";

    /// <summary>Each top-level key of a configuration file that is not a section the gateway reads, starting with the key.</summary>
    public static IEnumerable<string> Problems(IConfiguration configuration)
    {
        if (configuration is not IConfigurationRoot root)
        {
            yield break;
        }

        foreach (var file in root.Providers.OfType<FileConfigurationProvider>())
        {
            foreach (var key in file.GetChildKeys([], parentPath: null).Distinct(StringComparer.OrdinalIgnoreCase).Where(key => !IsRead(key)))
            {
                yield return $"{key}: unknown section in {PathOf(file.Source)}; the sections the gateway reads are {string.Join(", ", Read)}.";
            }
        }
    }

    private static bool IsRead(string key) => Known.Contains(key) || key.StartsWith(OpenTelemetryKeyPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Where the file is, in full: its source's path is relative to the content root.</summary>
    private static string? PathOf(FileConfigurationSource source) =>
        source.Path is { } path ? source.FileProvider?.GetFileInfo(path).PhysicalPath ?? path : null;
}
