using FcGateway.Dispatch.Scheduling;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge;

/// <summary>
/// Chooses among free instances with the cluster's YARP load-balancing policy, which may look at the client's request
/// (session affinity aside, e.g. a hashing policy). Created only when there is a choice to make.
/// </summary>
internal sealed class ClusterPolicyPicker : IInstancePicker
{
    private readonly HttpContext _context;
    private readonly ClusterPolicies _policies;

    private ClusterPolicyPicker(HttpContext context, ClusterPolicies policies)
    {
        _context = context;
        _policies = policies;
    }

    /// <returns>A picker for this request, or null when there is at most one candidate.</returns>
    public static ClusterPolicyPicker? For(HttpContext context, IReadOnlyList<DestinationState> candidates, ClusterPolicies policies) =>
        candidates.Count > 1 ? new ClusterPolicyPicker(context, policies) : null;

    public DestinationState? Pick(ClusterState cluster, IReadOnlyList<DestinationState> free) =>
        _policies.Of(cluster).PickDestination(_context, cluster, free);
}
