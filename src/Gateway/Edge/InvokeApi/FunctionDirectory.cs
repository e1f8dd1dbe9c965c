using FcGateway.Configuration;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy;

namespace FcGateway.Edge.InvokeApi;

/// <summary>Finds a function's instances for the invocation API: the cluster of the first route bound to it.</summary>
internal sealed class FunctionDirectory(IProxyStateLookup proxyState)
{
    public ClusterState? FindCluster(string functionName)
    {
        foreach (var route in proxyState.GetRoutes())
        {
            if (route.Cluster is { } cluster && string.Equals(FunctionRouteMetadata.GetFunctionName(route.Config), functionName, StringComparison.Ordinal))
            {
                return cluster;
            }
        }

        return null;
    }
}
