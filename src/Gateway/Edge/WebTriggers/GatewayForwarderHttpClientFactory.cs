using Yarp.ReverseProxy.Forwarder;

namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// YARP's HttpClient for each cluster, with <see cref="StreamingRequestBodyHandler"/> and
/// <see cref="InvalidResponseHeaderHandler"/> in front of it.
/// </summary>
internal sealed class GatewayForwarderHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger, ILogger<InvalidResponseHeaderHandler> responseHeaderLogger)
    : ForwarderHttpClientFactory(logger)
{
    protected override HttpMessageHandler WrapHandler(ForwarderHttpClientContext context, HttpMessageHandler handler) =>
        new StreamingRequestBodyHandler(new InvalidResponseHeaderHandler(base.WrapHandler(context, handler), responseHeaderLogger));
}
