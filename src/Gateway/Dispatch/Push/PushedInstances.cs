using FcGateway.Configuration;
using Yarp.ReverseProxy;

namespace FcGateway.Dispatch.Push;

/// <summary>The instances of every pushed function in the configuration YARP has in force, by function and address.</summary>
internal static class PushedInstances
{
    /// <summary>
    /// The destinations of the cluster of each route bound to a function that does not pull, whatever their health: a
    /// worker health checks find down is still the function's instance.
    /// </summary>
    public static Dictionary<(string Function, string Address), PushedInstance> Read(IProxyStateLookup proxyState, GatewaySettings settings)
    {
        var instances = new Dictionary<(string Function, string Address), PushedInstance>();
        foreach (var route in proxyState.GetRoutes())
        {
            if (FunctionRouteMetadata.GetFunctionName(route.Config) is not { } name || route.Cluster is not { } cluster
                || settings.GetFunction(name) is not { RuntimeApi: null } function)
            {
                continue;
            }

            foreach (var destination in cluster.Destinations.Values)
            {
                var model = destination.Model;
                var key = (name, model.Config.Address);
                if (!instances.TryGetValue(key, out var known))
                {
                    instances[key] = new PushedInstance(name, function, settings, cluster.Model, model, [destination]);
                }
                else if (!known.Destinations.Contains(destination))
                {
                    instances[key] = known with { Destinations = [.. known.Destinations, destination] };
                }
            }
        }

        return instances;
    }
}
