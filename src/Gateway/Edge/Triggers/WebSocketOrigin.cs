using FcGateway.Edge.Requests;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// Holds a WebSocket handshake to a trigger's CORS origins. Browsers apply no CORS to a WebSocket: any page may open
/// one, and it carries the site's cookies (a JWT in a cookie included), so on a trigger with CORS the gateway refuses
/// a handshake from an origin the policy does not allow (Cross-Site WebSocket Hijacking). A handshake without an
/// <c>Origin</c> comes from no browser and goes on.
/// </summary>
internal static class WebSocketOrigin
{
    /// <summary>Whether the request opens a WebSocket from a browser page of an origin <paramref name="cors"/> does not allow.</summary>
    public static bool IsRefused(HttpContext context, CorsPolicy cors) =>
        IsHandshake(context)
        && context.Request.Headers.Origin.ToString() is { Length: > 0 } origin
        && !cors.AllowAnyOrigin
        && !cors.IsOriginAllowed(origin);

    /// <summary>An HTTP/1.1 upgrade to <c>websocket</c>, or its HTTP/2 spelling, an extended CONNECT.</summary>
    private static bool IsHandshake(HttpContext context) =>
        ExtendedConnect.IsWebSocket(context)
        || (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
            && context.Request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase));
}
