using FcGateway.Configuration;
using FcGateway.Dispatch.Push;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Edge.Responses;

/// <summary>The headers the gateway puts on every response: <c>X-Fc-Request-Id</c>, and optionally <c>Content-Disposition: attachment</c>.</summary>
internal static class GatewayResponseHeaders
{
    public static void Apply(HttpContext context, GatewaySettings settings)
    {
        var headers = context.Response.Headers;
        headers[WorkerHeaderNames.ResponseRequestId] = context.TraceIdentifier;
        if (settings.ContentDispositionAttachment)
        {
            headers[HeaderNames.ContentDisposition] = "attachment";
        }
    }
}
