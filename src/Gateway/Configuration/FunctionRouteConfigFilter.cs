using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// Applies the function-binding rules to every route YARP loads, at start-up and on each reload. YARP
/// rejects a whole configuration when a filter throws, logs why and keeps the previous one, so an invalid
/// edit never half-applies.
/// </summary>
internal sealed class FunctionRouteConfigFilter : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel) => new(cluster);

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        var problems = FunctionRouteMetadata.Validate(route, cluster).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        return new(route);
    }
}
