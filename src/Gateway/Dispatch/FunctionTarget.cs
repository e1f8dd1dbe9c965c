using FcGateway.Configuration;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch;

/// <summary>The function a request invokes, with the settings snapshot it runs under and the cluster of its instances.</summary>
internal sealed record FunctionTarget(string FunctionName, GatewaySettings Settings, ClusterState Cluster)
{
    public FunctionSettings Function { get; } = Settings.GetFunction(FunctionName);

    /// <summary>
    /// The version or alias the caller named (Lambda's Invoke with a qualified name or <c>?Qualifier=</c>), which a
    /// Lambda function's invoked ARN ends with; null for an unqualified invocation.
    /// </summary>
    public string? InvokedQualifier { get; init; }
}
