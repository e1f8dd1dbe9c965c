using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>
/// Chooses among instances that have room. The edge passes one that applies the cluster's YARP load-balancing policy
/// to the client's request; with none, the scheduler takes the least loaded instance itself.
/// </summary>
internal interface IInstancePicker
{
    /// <param name="cluster">The function's cluster.</param>
    /// <param name="free">At least two instances, each with room for one more invocation.</param>
    /// <returns>One of <paramref name="free"/>, or null to let the scheduler choose.</returns>
    DestinationState? Pick(ClusterState cluster, IReadOnlyList<DestinationState> free);
}
