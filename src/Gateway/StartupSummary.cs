using FcGateway.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Yarp.ReverseProxy.Configuration;

namespace FcGateway;

/// <summary>Logs, once the gateway listens, what it runs: its version, its listeners and one line per function.</summary>
internal static partial class StartupSummary
{
    /// <summary>Logs the summary when <paramref name="app"/> has started.</summary>
    public static void LogWhenStarted(WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() => Write(app.Services, app.Logger));

    private static void Write(IServiceProvider services, ILogger logger)
    {
        var addresses = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Log.Started(logger, GatewayCommandLine.Version, string.Join(", ", addresses));

        var config = services.GetRequiredService<IProxyConfigProvider>().GetConfig();
        var settings = services.GetRequiredService<GatewaySettingsMonitor>().Current;
        var instances = config.Clusters.ToDictionary(c => c.ClusterId, c => c.Destinations?.Count ?? 0, StringComparer.OrdinalIgnoreCase);
        foreach (var function in config.Routes.GroupBy(r => FunctionRouteMetadata.GetFunctionName(r) ?? "", StringComparer.Ordinal))
        {
            var routes = function.ToList();
            Log.Function(
                logger,
                function.Key,
                string.Join(", ", routes.Select(r => $"{r.RouteId} {r.Match.Path}")),
                string.Join(", ", routes.Select(FunctionRouteMetadata.GetTriggerMode).Distinct()).ToLowerInvariant(),
                routes.Sum(r => instances.GetValueOrDefault(r.ClusterId ?? "")),
                string.Join(", ", routes.Select(r => settings.GetTrigger(r.RouteId).AuthType).Distinct()).ToLowerInvariant());
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.StartupSummary, LogLevel.Information, "FcGateway {Version} listening on {Listeners}")]
        public static partial void Started(ILogger logger, string version, string listeners);

        // Push is the only dispatch transport today: the gateway POSTs each invocation to a worker's /invoke.
        [LoggerMessage(EventIds.StartupSummary, LogLevel.Information, "Function '{Function}': routes {Routes}; mode {Mode}; transport push; {Instances} instance(s); trigger auth {AuthType}")]
        public static partial void Function(ILogger logger, string function, string routes, string mode, int instances, string authType);
    }
}
