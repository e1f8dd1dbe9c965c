namespace FcGateway.Edge.Triggers;

/// <summary>
/// Adds a header to an error response. <c>GatewayErrorWriter</c> clears the response headers before writing,
/// so headers that belong to the error (<c>Allow</c>, <c>WWW-Authenticate</c>) are set as the response starts.
/// </summary>
internal static class ResponseHeadersOnStart
{
    public static void Set(HttpContext context, string name, string value) =>
        context.Response.OnStarting(static state =>
        {
            var (response, headerName, headerValue) = ((HttpResponse, string, string))state;
            response.Headers[headerName] = headerValue;
            return Task.CompletedTask;
        }, (context.Response, name, value));
}
