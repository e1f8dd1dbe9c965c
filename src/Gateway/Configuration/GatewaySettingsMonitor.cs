using Microsoft.Extensions.Primitives;

namespace FcGateway.Configuration;

/// <summary>
/// Holds the current <see cref="GatewaySettings"/>. When the <c>Gateway</c> section changes, the new values
/// replace the old only if they are valid; otherwise every error is logged and the last good settings stay.
/// </summary>
internal sealed partial class GatewaySettingsMonitor : IDisposable
{
    private readonly IConfigurationSection _section;
    private readonly ILogger<GatewaySettingsMonitor> _logger;
    private readonly IDisposable _changeSubscription;
    private GatewaySettings _current;

    public GatewaySettingsMonitor(IConfiguration configuration, ILogger<GatewaySettingsMonitor> logger)
    {
        _section = configuration.GetSection(GatewaySettingsReader.SectionName);
        _logger = logger;
        _current = GatewaySettingsReader.Read(_section, out var errors);
        StartupErrors = errors;
        _changeSubscription = ChangeToken.OnChange(_section.GetReloadToken, Reload);
    }

    /// <summary>The settings in force.</summary>
    public GatewaySettings Current => Volatile.Read(ref _current);

    /// <summary>What was wrong with the settings read at start-up; start-up fails unless this is empty.</summary>
    public IReadOnlyList<string> StartupErrors { get; }

    public void Dispose() => _changeSubscription.Dispose();

    private void Reload()
    {
        var settings = GatewaySettingsReader.Read(_section, out var errors);
        if (errors.Count > 0)
        {
            Log.ReloadRejected(_logger, errors.Count, string.Join(Environment.NewLine, errors));
            return;
        }

        Volatile.Write(ref _current, settings);
        Log.Reloaded(_logger);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.SettingsReloadRejected, LogLevel.Error, "The changed Gateway configuration was rejected and the previous settings stay in force; {ErrorCount} problem(s):\n{Errors}")]
        public static partial void ReloadRejected(ILogger logger, int errorCount, string errors);

        [LoggerMessage(EventIds.SettingsReloaded, LogLevel.Information, "The changed Gateway configuration is now in force.")]
        public static partial void Reloaded(ILogger logger);
    }
}
