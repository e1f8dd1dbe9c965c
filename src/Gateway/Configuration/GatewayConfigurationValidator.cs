using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// Checks the whole configuration before the gateway starts: YARP's own route and cluster rules, the
/// function binding of every route and the <c>Gateway</c> section. All steps run without short-circuiting
/// so every problem is reported at once.
/// </summary>
internal sealed partial class GatewayConfigurationValidator(
    IProxyConfigProvider proxyConfigProvider,
    IConfigValidator yarpValidator,
    GatewaySettingsMonitor settings,
    ILogger<GatewayConfigurationValidator> logger)
{
    public async Task ThrowIfInvalidAsync()
    {
        var problems = new List<string>(settings.StartupErrors);
        await AddProxyProblemsAsync(problems);
        if (problems.Count > 0)
        {
            throw new GatewayConfigurationException(problems);
        }
    }

    private async Task AddProxyProblemsAsync(List<string> problems)
    {
        IProxyConfig config;
        try
        {
            config = proxyConfigProvider.GetConfig();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException)
        {
            problems.Add($"ReverseProxy: {ex.Message}{(ex.InnerException is null ? "" : " " + ex.InnerException.Message)}");
            return;
        }

        if (config.Routes.Count == 0)
        {
            problems.Add("ReverseProxy:Routes is empty: add at least one route with Metadata:FunctionName.");
        }

        var clusters = new Dictionary<string, ClusterConfig>(StringComparer.OrdinalIgnoreCase);
        foreach (var cluster in config.Clusters)
        {
            clusters[cluster.ClusterId] = cluster;
            AddAll(problems, await yarpValidator.ValidateClusterAsync(cluster));
        }

        var routeIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var unconfigured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in config.Routes)
        {
            routeIds.Add(route.RouteId);
            if (FunctionRouteMetadata.GetFunctionName(route) is { } function && !settings.Current.Functions.ContainsKey(function) && unconfigured.Add(function))
            {
                var defaults = FunctionSettings.Default;
                Log.FunctionWithoutSettings(logger, function, defaults.Timeout, defaults.InstanceConcurrency, defaults.MaxQueueLength, defaults.QueueTimeout, defaults.MemorySize);
            }

            AddAll(problems, await yarpValidator.ValidateRouteAsync(route));
            clusters.TryGetValue(route.ClusterId ?? "", out var cluster);
            problems.AddRange(FunctionRouteMetadata.Validate(route, cluster));
            if (route.ClusterId is null && FunctionRouteMetadata.GetFunctionName(route) is { } pushed && settings.Current.GetFunction(pushed).RuntimeApi is null)
            {
                problems.Add($"Route '{route.RouteId}' has no ClusterId: set one, or set Gateway:Functions:{pushed}:RuntimeApi to 'fc' if the function's processes pull their invocations.");
            }

            if (FunctionRouteMetadata.GetFunctionName(route) is { } pulled && settings.Current.GetFunction(pulled).RuntimeApi is not null
                && FunctionRouteMetadata.GetTriggerMode(route) == TriggerMode.Web)
            {
                problems.Add($"Route '{route.RouteId}' is a web trigger, but function '{pulled}' pulls its invocations, which are events: remove Metadata:TriggerMode or use a function whose workers serve HTTP.");
            }
        }

        // A trigger entry under a mistyped route id would leave the real route anonymous.
        foreach (var trigger in settings.Current.Triggers.Keys)
        {
            if (!routeIds.Contains(trigger))
            {
                problems.Add($"Gateway:Triggers:{trigger} configures route '{trigger}', which does not exist: use a route id from ReverseProxy:Routes.");
            }
        }
    }

    private static void AddAll(List<string> problems, IList<Exception> errors)
    {
        foreach (var error in errors)
        {
            problems.Add(error.Message);
        }
    }

    private static partial class Log
    {
        // A warning, not an error: a function may rightly run with the defaults, but a typo ("ech0") must not pass unseen.
        [LoggerMessage(EventIds.FunctionWithoutSettings, LogLevel.Warning, "Function '{Function}' is named by a route but has no Gateway:Functions:{Function} entry, so it runs with the defaults (Timeout {Timeout}, InstanceConcurrency {InstanceConcurrency}, MaxQueueLength {MaxQueueLength}, QueueTimeout {QueueTimeout}, MemorySize {MemorySize}); add the entry or fix the route's Metadata:FunctionName.")]
        public static partial void FunctionWithoutSettings(ILogger logger, string function, TimeSpan timeout, int instanceConcurrency, int maxQueueLength, TimeSpan queueTimeout, int memorySize);
    }
}
