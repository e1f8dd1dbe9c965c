using Yarp.ReverseProxy.Forwarder;

namespace FcGateway.Edge.HttpTriggers;

/// <summary>Reports a failed worker call to YARP's passive health checks, as YARP's own forwarder does.</summary>
internal sealed class InvocationErrorFeature(ForwarderError error, string reason) : IForwarderErrorFeature
{
    public ForwarderError Error { get; } = error;

    public Exception? Exception { get; } = new HttpRequestException(reason);
}
