using FcGateway.Configuration.Triggers;
using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// Applies the function-binding rules to every route and the destination-address rule to every cluster YARP loads, at
/// start-up and on each reload. YARP rejects a whole configuration when a filter throws, logs why and keeps the previous
/// one, so an invalid edit never half-applies.
/// </summary>
/// <remarks>
/// Every function route gets the <c>FcTrigger</c> CORS policy and no authorization policy, replacing any set in the
/// route: the trigger's settings (<c>Gateway:Triggers:{routeId}</c>) decide CORS, methods and credentials at each
/// request, so a reload of the <c>Gateway</c> section alone changes them without rebuilding the routes.
/// Every cluster is a function cluster (every route names a function), and the health-check keys it leaves unset take
/// the gateway's defaults (<see cref="FunctionClusterHealthDefaults"/>): its workers are probed, and with no healthy
/// instance a function is answered 503 ResourceThrottled instead of being sent to instances known to be down.
/// A cluster without its own <c>HttpRequest:ActivityTimeout</c> is not cut by YARP's 100-second idle limit
/// (<see cref="FunctionClusterRequestDefaults"/>): the function <c>Timeout</c> bounds a web invocation. Request header
/// values go to workers in UTF-8, as clients sent them (<see cref="FunctionClusterClientDefaults"/>).
/// </remarks>
internal sealed class FunctionRouteConfigFilter : IProxyConfigFilter
{
    public ValueTask<ClusterConfig> ConfigureClusterAsync(ClusterConfig cluster, CancellationToken cancel)
    {
        var problems = DestinationAddresses.Validate(cluster).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        return new(cluster with
        {
            HealthCheck = FunctionClusterHealthDefaults.Apply(cluster.HealthCheck),
            HttpRequest = FunctionClusterRequestDefaults.Apply(cluster.HttpRequest),
            HttpClient = FunctionClusterClientDefaults.Apply(cluster.HttpClient),
        });
    }

    public ValueTask<RouteConfig> ConfigureRouteAsync(RouteConfig route, ClusterConfig? cluster, CancellationToken cancel)
    {
        var problems = FunctionRouteMetadata.Validate(route, cluster).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        return new(route with { AuthorizationPolicy = null, CorsPolicy = TriggerPolicyNames.Cors });
    }
}
