using FcGateway.Configuration;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Push;

/// <summary>One invocation of a function on a chosen worker instance; <paramref name="RetryCount"/> as in <see cref="InvocationRequest.RetryCount"/>.</summary>
internal sealed record FunctionInvocation(
    string RequestId,
    string FunctionName,
    FunctionSettings Function,
    GatewaySettings Gateway,
    ClusterModel Cluster,
    DestinationState Destination,
    int RetryCount = 0)
{
    public WorkerEndpoint Endpoint => WorkerEndpoint.For(Destination.Model);
}
