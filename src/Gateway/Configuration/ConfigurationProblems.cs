using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// What is wrong with a <c>ReverseProxy</c> configuration together with the <c>Gateway</c> settings it would run with:
/// YARP's own route and cluster rules, every route's function binding, and the cross-references between the two
/// sections. Judged the same way at start-up and on every reload, all problems at once.
/// </summary>
internal static class ConfigurationProblems
{
    /// <param name="routes">The routes to judge.</param>
    /// <param name="clusters">The clusters to judge.</param>
    /// <param name="settings">The <c>Gateway</c> settings they would run with.</param>
    /// <param name="yarpValidator">YARP's validator.</param>
    /// <param name="problems">Where each problem is added.</param>
    /// <returns>
    /// What the configuration runs with that may be a mistake: logged (<see cref="ConfigurationWarnings.Log"/>) when it is
    /// put in force, not by a reload that keeps the configuration in force or is rejected.
    /// </returns>
    public static async Task<ConfigurationWarnings> FindAsync(
        IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters, GatewaySettings settings, IConfigValidator yarpValidator, List<string> problems)
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

        // The invocation APIs (FC's, Lambda's Invoke) reach the functions routes bind, and only those: a function declared
        // alone, as a Lambda function invoked by the AWS SDKs is, would answer every call "not found" with no word why.
        var routed = routes.Select(FunctionRouteMetadata.GetFunctionName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var unrouted = settings.Functions.Keys.Where(function => !routed.Contains(function)).Order(StringComparer.Ordinal).ToList();
        return new ConfigurationWarnings(unconfigured, withoutDestinations, unrouted);
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
}

