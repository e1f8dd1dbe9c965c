using FcGateway.Configuration;
using FcGateway.Dispatch.Push;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Edge.Responses;

/// <summary>The headers the gateway puts on every response: <c>X-Fc-Request-Id</c>, and optionally <c>Content-Disposition: attachment</c>.</summary>
internal static class GatewayResponseHeaders
{
    /// <summary>
    /// Sets these headers as <paramref name="settings"/> have them; applied again with other settings (those a reload
    /// gives a request once routed, <see cref="Requests.RequestSettingsRules"/>), it removes a <c>Content-Disposition</c>
    /// they no longer ask for.
    /// </summary>
    public static void Apply(HttpContext context, GatewaySettings settings)
    {
        var headers = context.Response.Headers;
        headers[WorkerHeaderNames.ResponseRequestId] = context.TraceIdentifier;
        if (settings.ContentDispositionAttachment)
        {
            headers[HeaderNames.ContentDisposition] = "attachment";
        }
        else
        {
            headers.Remove(HeaderNames.ContentDisposition);
        }
    }
}
