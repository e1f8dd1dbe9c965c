using FcGateway.Configuration;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Push;

/// <summary>
/// A worker instance of a pushed function as the configuration in force has it: the function at one address of its
/// cluster, with the settings and cluster of that configuration. An instance is a function and an address, as for its
/// initialization (<see cref="WorkerInitializer"/>): two destinations at one address are one instance.
/// </summary>
/// <param name="FunctionName">The function.</param>
/// <param name="Function">Its settings in that configuration.</param>
/// <param name="Gateway">The gateway's settings in that configuration (region, account).</param>
/// <param name="Cluster">The cluster that reached the instance (its HTTP client and request version).</param>
/// <param name="Destination">The destination at the address, as configured then (YARP gives a destination whose address an edit changes a new model).</param>
/// <param name="Destinations">Every destination of the function at the address: those whose invocations count as the instance's.</param>
internal sealed record PushedInstance(
    string FunctionName,
    FunctionSettings Function,
    GatewaySettings Gateway,
    ClusterModel Cluster,
    DestinationModel Destination,
    IReadOnlyList<DestinationState> Destinations)
{
    public string Address => Destination.Config.Address;
}
