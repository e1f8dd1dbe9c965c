using FcGateway.Configuration;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch;

/// <summary>The function a request invokes, with the settings snapshot it runs under and the cluster of its instances.</summary>
internal sealed record FunctionTarget(string FunctionName, GatewaySettings Settings, ClusterState Cluster)
{
    public FunctionSettings Function { get; } = Settings.GetFunction(FunctionName);
}
