using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge;

/// <summary>YARP's load-balancing policies by name; a cluster without one, or with an unknown one, gets PowerOfTwoChoices.</summary>
internal sealed class ClusterPolicies(IEnumerable<ILoadBalancingPolicy> policies)
{
    private static readonly string DefaultPolicy = LoadBalancingPolicies.PowerOfTwoChoices;

    private readonly Dictionary<string, ILoadBalancingPolicy> _policies = policies.ToDictionary(policy => policy.Name, StringComparer.OrdinalIgnoreCase);

    public ILoadBalancingPolicy Of(ClusterState cluster)
    {
        var name = cluster.Model.Config.LoadBalancingPolicy ?? DefaultPolicy;
        return _policies.TryGetValue(name, out var policy) ? policy : _policies[DefaultPolicy];
    }
}
