using FcGateway.Configuration;
using FcGateway.Dispatch.Pull;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// Finds a function's instances for the invocation API: the cluster of the first route bound to it, or for a function
/// whose workers pull, its runtime API address.
/// </summary>
internal sealed class FunctionDirectory(IProxyStateLookup proxyState, RuntimeApiDirectory runtimeApi)
{
    public ClusterState? FindCluster(string functionName, GatewaySettings settings)
    {
        var pulls = settings.Functions.TryGetValue(functionName, out var function) && function.RuntimeApi is not null;
        foreach (var route in proxyState.GetRoutes())
        {
            if (string.Equals(FunctionRouteMetadata.GetFunctionName(route.Config), functionName, StringComparison.Ordinal))
            {
                if (pulls)
                {
                    return runtimeApi.MailboxOf(functionName).Cluster;
                }

                if (route.Cluster is { } cluster)
                {
                    return cluster;
                }
            }
        }

        return null;
    }
}
