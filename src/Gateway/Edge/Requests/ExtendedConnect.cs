using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Edge.Requests;

/// <summary>
/// A WebSocket opened over HTTP/2 (RFC 8441): an extended CONNECT with <c>:protocol websocket</c>, which Kestrel
/// advertises on every HTTP/2 connection and browsers use on one. It is the HTTP/2 spelling of an HTTP/1.1 upgrade, a
/// GET: it is held to the rules of a GET (trigger methods), and only a web function, which YARP hands an HTTP/1.1
/// upgrade, can take it.
/// </summary>
internal static class ExtendedConnect
{
    public static bool IsWebSocket(HttpContext context) =>
        context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true, Protocol: { } protocol }
        && string.Equals(protocol, "websocket", StringComparison.OrdinalIgnoreCase);

    /// <summary>The method a request stands for: GET for a WebSocket's extended CONNECT, else its own.</summary>
    public static string EffectiveMethod(HttpContext context) => IsWebSocket(context) ? HttpMethods.Get : context.Request.Method;
}
