using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// What is wrong with a <c>ReverseProxy</c> configuration together with the <c>Gateway</c> settings it would run with:
/// YARP's own route and cluster rules, every route's function binding, and the cross-references between the two
/// sections. Judged the same way at start-up and on every reload, all problems at once.
/// </summary>
internal static partial class ConfigurationProblems
{
    /// <param name="routes">The routes to judge.</param>
    /// <param name="clusters">The clusters to judge.</param>
    /// <param name="settings">The <c>Gateway</c> settings they would run with.</param>
    /// <param name="yarpValidator">YARP's validator.</param>
    /// <param name="logger">
    /// Where a function named by a route without a <c>Gateway:Functions</c> entry is warned of (it runs with the defaults),
    /// and one with an entry that no route names (nothing reaches it).
    /// </param>
    /// <param name="problems">Where each problem is added.</param>
    public static async Task FindAsync(
        IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters, GatewaySettings settings, IConfigValidator yarpValidator, ILogger logger, List<string> problems)
    {
        if (routes.Count == 0)
        {
            problems.Add("ReverseProxy:Routes is empty: add at least one route with Metadata:FunctionName.");
        }

        var clustersById = new Dictionary<string, ClusterConfig>(StringComparer.OrdinalIgnoreCase);
        foreach (var cluster in clusters)
        {
            clustersById[cluster.ClusterId] = cluster;
            AddAll(problems, await yarpValidator.ValidateClusterAsync(cluster), "Cluster", cluster.ClusterId);
            problems.AddRange(DestinationAddresses.Validate(cluster));
        }

        var routeIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var unconfigured = new SortedSet<string>(StringComparer.Ordinal);
        var withoutDestinations = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var route in routes)
        {
            routeIds.Add(route.RouteId);
            var function = FunctionRouteMetadata.GetFunctionName(route);
            if (function is not null && !settings.Functions.ContainsKey(function))
            {
                unconfigured.Add(function);
            }

            AddAll(problems, await yarpValidator.ValidateRouteAsync(route), "Route", route.RouteId);
            clustersById.TryGetValue(route.ClusterId ?? "", out var cluster);
            problems.AddRange(FunctionRouteMetadata.Validate(route, cluster));
            if (function is null)
            {
                continue;
            }

            var pulls = settings.GetFunction(function).RuntimeApi is not null;
            if (!pulls && cluster is { Destinations: null or { Count: 0 } })
            {
                withoutDestinations.Add(cluster.ClusterId);
            }

            if (route.ClusterId is null && !pulls)
            {
                problems.Add($"Route '{route.RouteId}' has no ClusterId: set one, or set Gateway:Functions:{function}:RuntimeApi to 'fc' if the function's processes pull their invocations.");
            }
            else if (route.ClusterId is not null && pulls)
            {
                // Its workers pull: the cluster's destinations would never be called, though they look as if they were.
                problems.Add($"Route '{route.RouteId}' has ClusterId '{route.ClusterId}', but function '{function}' pulls its invocations (Gateway:Functions:{function}:RuntimeApi), so the cluster would never be called: remove the route's ClusterId, or unset RuntimeApi to push to the cluster's workers.");
            }

            if (pulls && FunctionRouteMetadata.GetTriggerMode(route) == TriggerMode.Web)
            {
                problems.Add($"Route '{route.RouteId}' is a web trigger, but function '{function}' pulls its invocations, which are events: remove Metadata:TriggerMode or use a function whose workers serve HTTP.");
            }
        }

        problems.AddRange(AmbiguousRoutes.Find(routes));

        // A trigger entry under a mistyped route id would leave the real route anonymous.
        foreach (var trigger in settings.Triggers.Keys)
        {
            if (!routeIds.Contains(trigger))
            {
                problems.Add($"Gateway:Triggers:{trigger} configures route '{trigger}', which does not exist: use a route id from ReverseProxy:Routes.");
            }
        }

        var defaults = FunctionSettings.Default;
        foreach (var function in unconfigured)
        {
            Log.FunctionWithoutSettings(logger, function, defaults.Timeout, defaults.InstanceConcurrency, defaults.MaxQueueLength, defaults.QueueTimeout, defaults.MemorySize);
        }

        foreach (var cluster in withoutDestinations)
        {
            Log.ClusterWithoutDestinations(logger, cluster);
        }

        // The invocation APIs (FC's, Lambda's Invoke) reach the functions routes bind, and only those: a function declared
        // alone, as a Lambda function invoked by the AWS SDKs is, would answer every call "not found" with no word why.
        var routed = routes.Select(FunctionRouteMetadata.GetFunctionName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var function in settings.Functions.Keys.Where(function => !routed.Contains(function)).Order(StringComparer.Ordinal))
        {
            Log.FunctionWithoutRoutes(logger, function);
        }
    }

    /// <summary>
    /// YARP's problems with one route or cluster; those that do not name it (<c>Unknown transform: PathRemovePrefx</c>)
    /// are prefixed with it, so every problem says where to look.
    /// </summary>
    private static void AddAll(List<string> problems, IList<Exception> errors, string kind, string id)
    {
        foreach (var error in errors)
        {
            problems.Add(error.Message.Contains($"'{id}'", StringComparison.Ordinal) ? error.Message : $"{kind} '{id}': {error.Message}");
        }
    }

    private static partial class Log
    {
        // A warning, not an error: a function may rightly run with the defaults, but a typo ("ech0") must not pass unseen.
        [LoggerMessage(EventIds.FunctionWithoutSettings, LogLevel.Warning, "Function '{Function}' is named by a route but has no Gateway:Functions:{Function} entry, so it runs with the defaults (Timeout {Timeout}, InstanceConcurrency {InstanceConcurrency}, MaxQueueLength {MaxQueueLength}, QueueTimeout {QueueTimeout}, MemorySize {MemorySize}); add the entry or fix the route's Metadata:FunctionName.")]
        public static partial void FunctionWithoutSettings(ILogger logger, string function, TimeSpan timeout, int instanceConcurrency, int maxQueueLength, TimeSpan queueTimeout, int memorySize);

        // A warning, not an error: a reload may give the cluster its workers later, but until then nothing can be invoked.
        [LoggerMessage(EventIds.FunctionWithoutRoutes, LogLevel.Warning, "Function '{Function}' has a Gateway:Functions:{Function} entry but no route names it, so neither an HTTP trigger nor the invocation API (FC's, or Lambda's Invoke) reaches it: they answer that it does not exist. Add a route with Metadata:FunctionName '{Function}', or fix the name.")]
        public static partial void FunctionWithoutRoutes(ILogger logger, string function);

        [LoggerMessage(EventIds.ClusterWithoutDestinations, LogLevel.Warning, "Cluster '{Cluster}' has no destinations, so the functions its routes trigger answer 503 ResourceThrottled and /readyz is not ready: add ReverseProxy:Clusters:{Cluster}:Destinations:<name>:Address, the base address of a worker.")]
        public static partial void ClusterWithoutDestinations(ILogger logger, string cluster);
    }
}
