using FcGateway.Configuration;
using FcGateway.Configuration.Triggers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
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
        if (services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling)
        {
            Log.InlineSocketIo(logger);
        }

        var config = services.GetRequiredService<IProxyConfigProvider>().GetConfig();
        var settings = services.GetRequiredService<GatewaySettingsMonitor>().Current;
        var destinationsByCluster = config.Clusters.ToDictionary(c => c.ClusterId, c => c.Destinations?.Count ?? 0, StringComparer.OrdinalIgnoreCase);
        foreach (var function in config.Routes.GroupBy(r => FunctionRouteMetadata.GetFunctionName(r) ?? "", StringComparer.Ordinal))
        {
            var routes = function.ToList();
            var functionSettings = settings.GetFunction(function.Key);
            var modes = routes.Select(FunctionRouteMetadata.GetTriggerMode).Distinct().ToList();
            Log.Function(
                logger,
                function.Key,
                string.Join(", ", routes.Select(r => $"{r.RouteId} {r.Match.Path}")),
                string.Join(", ", modes.Select(mode => Mode(functionSettings, mode))),
                Transport(functionSettings, modes),
                functionSettings.RuntimeApi is null ? InstanceCount(routes, destinationsByCluster) : Instances(functionSettings),
                string.Join(", ", routes.Select(r => AuthTypeName(settings.GetTrigger(r.RouteId).AuthType)).Distinct()));
        }
    }

    /// <summary>The trigger's <c>AuthType</c> as the configuration spells it (<c>aws_iam</c>, not the enum's <c>awsiam</c>).</summary>
    private static string AuthTypeName(TriggerAuthType authType) =>
        authType == TriggerAuthType.AwsIam ? "aws_iam" : authType.ToString().ToLowerInvariant();

    /// <summary>The destinations of every cluster the function's routes lead to, each cluster counted once however many routes share it.</summary>
    private static string InstanceCount(List<RouteConfig> routes, Dictionary<string, int> destinationsByCluster) =>
        routes.Select(r => r.ClusterId ?? "").Distinct(StringComparer.OrdinalIgnoreCase)
            .Sum(cluster => destinationsByCluster.GetValueOrDefault(cluster))
            .ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The trigger mode, and for a Lambda function's events which of AWS's payloads it gets.</summary>
    private static string Mode(FunctionSettings function, TriggerMode mode) => (function.RuntimeApi, mode) switch
    {
        (RuntimeApiProtocol.Lambda, TriggerMode.Event) when function.PayloadFormatVersion == LambdaPayloadFormat.V1 => "event (API Gateway payload 1.0)",
        (RuntimeApiProtocol.Lambda, TriggerMode.Event) => "event (function URL payload 2.0)",
        _ => mode.ToString().ToLowerInvariant(),
    };

    /// <summary>How the function's invocations reach its workers: an event posted, the request proxied as it came (web mode), or polled.</summary>
    private static string Transport(FunctionSettings function, List<TriggerMode> modes) => function.RuntimeApi switch
    {
        null => string.Join(", ", modes.Select(mode => mode == TriggerMode.Web ? "proxy (the request as it came)" : "push (POST /invoke)")),
        var api => $"pull ({api.Value.ToString().ToLowerInvariant()} runtime API)",
    };

    private static string Instances(FunctionSettings function) => function.Launch is { } launch
        ? $"launched ({launch.MinInstances}-{launch.MaxInstances}, {Path.GetFileName(launch.Command)})"
        : "whoever polls";

    private static partial class Log
    {
        [LoggerMessage(EventIds.StartupSummary, LogLevel.Information, "FcGateway {Version} listening on {Listeners}")]
        public static partial void Started(ILogger logger, string version, string listeners);

        [LoggerMessage(EventIds.StartupSummary, LogLevel.Information, "Inline socket I/O: the clients' requests run on the threads that poll their sockets (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1); the runtime API's listener keeps the thread pool")]
        public static partial void InlineSocketIo(ILogger logger);

        [LoggerMessage(EventIds.StartupSummary, LogLevel.Information, "Function '{Function}': routes {Routes}; mode {Mode}; transport {Transport}; instances {Instances}; trigger auth {AuthType}")]
        public static partial void Function(ILogger logger, string function, string routes, string mode, string transport, string instances, string authType);
    }
}
