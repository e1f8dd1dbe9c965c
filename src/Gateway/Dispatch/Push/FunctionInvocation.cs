using FcGateway.Configuration;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Push;

/// <summary>One invocation of a function on a chosen worker instance.</summary>
internal sealed record FunctionInvocation(
    string RequestId,
    string FunctionName,
    FunctionSettings Function,
    GatewaySettings Gateway,
    ClusterModel Cluster,
    DestinationState Destination)
{
    public WorkerEndpoint Endpoint => WorkerEndpoint.For(Destination.Model);
}
