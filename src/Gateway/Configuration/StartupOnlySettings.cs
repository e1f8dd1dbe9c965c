using FcGateway.Diagnostics;

namespace FcGateway.Configuration;

/// <summary>
/// The settings read once at start-up (the clients' <c>Urls</c>, the shutdown's drain, the runtime API's listeners, the
/// telemetry exporters),
/// which an edit put in force while the gateway runs does not change: names each one an edit holds otherwise than the
/// gateway started with, so that the log says what waits for a restart.
/// </summary>
internal sealed class StartupOnlySettings
{
    private const string OtelVariablePrefix = "OTEL_";

    private readonly GatewaySettings _startup;
    private readonly Dictionary<string, string?> _telemetry;
    private readonly string? _urls;

    public StartupOnlySettings(GatewaySettings startup, IConfiguration configuration)
    {
        _startup = startup;
        _telemetry = Telemetry(configuration);
        _urls = configuration[WebHostDefaults.ServerUrlsKey];
    }

    /// <summary>The keys of start-up settings whose values in <paramref name="edited"/> and <paramref name="configuration"/> differ from those in use.</summary>
    public IReadOnlyList<string> ChangedBy(GatewaySettings edited, IConfiguration configuration)
    {
        var changed = new List<string>();

        // Kestrel binds Urls once; its Kestrel:Endpoints section, which replaces them, it rebinds as it changes.
        if (!KestrelKeys.HasEndpoints(configuration) && configuration[WebHostDefaults.ServerUrlsKey] != _urls)
        {
            changed.Add("Urls");
        }

        if (edited.DrainTimeout != _startup.DrainTimeout)
        {
            changed.Add($"{GatewaySettingsReader.SectionName}:DrainTimeout");
        }

        if (!string.Equals(edited.RuntimeApi.Urls, _startup.RuntimeApi.Urls, StringComparison.OrdinalIgnoreCase))
        {
            changed.Add($"{GatewaySettingsReader.SectionName}:RuntimeApi:Urls");
        }

        changed.AddRange(edited.Functions.Keys.Union(_startup.Functions.Keys, StringComparer.OrdinalIgnoreCase)
            .Where(name => !Equals(edited.GetFunction(name).RuntimeApiUrl, _startup.GetFunction(name).RuntimeApiUrl))
            .Select(name => $"{GatewaySettingsReader.SectionName}:Functions:{name}:RuntimeApiUrl"));

        var telemetry = Telemetry(configuration);
        if (telemetry.Count != _telemetry.Count || telemetry.Any(setting => !_telemetry.TryGetValue(setting.Key, out var value) || value != setting.Value))
        {
            changed.Add($"{TelemetrySettings.SectionName} and {OtelVariablePrefix}* (the telemetry exporters)");
        }

        return changed;
    }

    private static Dictionary<string, string?> Telemetry(IConfiguration configuration) => configuration.AsEnumerable()
        .Where(setting => setting.Key.StartsWith(TelemetrySettings.SectionName + ":", StringComparison.OrdinalIgnoreCase)
            || setting.Key.StartsWith(OtelVariablePrefix, StringComparison.OrdinalIgnoreCase))
        .ToDictionary(setting => setting.Key, setting => setting.Value, StringComparer.OrdinalIgnoreCase);
}
