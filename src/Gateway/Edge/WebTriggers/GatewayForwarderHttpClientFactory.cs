using Yarp.ReverseProxy.Forwarder;

namespace FcGateway.Edge.WebTriggers;

/// <summary>YARP's HttpClient for each cluster, with <see cref="StreamingRequestBodyHandler"/> in front of it.</summary>
internal sealed class GatewayForwarderHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new StreamingRequestBodyHandler(base.WrapHandler(context, handler));
}
