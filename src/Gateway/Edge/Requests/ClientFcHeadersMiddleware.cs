using FcGateway.Edge.Errors;
using FcGateway.Http;
using FcGateway.Outcomes;

namespace FcGateway.Edge.Requests;

/// <summary>
/// Removes (or refuses, where configured) client <c>x-fc-*</c> headers once routing has chosen the endpoint, so
/// the rule follows what handles the request: every endpoint but the invocation API's.
/// </summary>
internal sealed class ClientFcHeadersMiddleware(
    RequestDelegate next,
    GatewayErrorWriter errors)
{
    private const string RefusalMessage = $"Headers starting with {FcHeaders.Prefix} are reserved for the gateway.";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        if (!context.GatewayRequest().ArrivedHeaders.HasFcName || context.GetEndpoint()?.Metadata.GetMetadata<KeepsClientFcHeaders>() is not null)
        {
            return next(context);
        }

        if (context.GatewaySettings().RejectClientFcHeaders)
        {
            return RefuseAsync(context);
        }

        ClientFcHeaders.Remove(headers);
        return next(context);
    }

    private Task RefuseAsync(HttpContext context) => errors.RefuseAsync(context, Outcome.InvalidArgument, RefusalMessage);
}
