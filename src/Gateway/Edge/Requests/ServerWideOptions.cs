using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Edge.Requests;

/// <summary>
/// <c>OPTIONS *</c> (the asterisk-form target, RFC 9112 §3.2.4) asks about the server, not about a resource
/// (RFC 9110 §9.3.7): the gateway answers it itself, 200 with the methods it accepts in <c>Allow</c> and no content.
/// A catch-all route would otherwise hand it to a function: to a web worker as
/// <c>OPTIONS /</c>, which asks about a resource, and to an event function with an empty path.
/// </summary>
internal static class ServerWideOptions
{
    private const string AsteriskForm = "*";

    public static bool IsAskedFor(HttpContext context) =>
        HttpMethods.IsOptions(context.Request.Method) && context.Features.Get<IHttpRequestFeature>()?.RawTarget == AsteriskForm;

    public static void Answer(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.Allow = RequestLimits.AllowedMethodList;
        context.Response.ContentLength = 0;
    }
}
