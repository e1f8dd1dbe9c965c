using FcGateway.Configuration;

namespace FcGateway.Edge;

/// <summary>Reads the <see cref="GatewayRequestFeature"/> the request middleware set.</summary>
internal static class GatewayRequestFeatureExtensions
{
    public static GatewayRequestFeature GatewayRequest(this HttpContext context) =>
        context.Features.Get<GatewayRequestFeature>() ?? throw new InvalidOperationException("The gateway's request middleware has not run for this request.");

    /// <summary>The settings snapshot of this request.</summary>
    public static GatewaySettings GatewaySettings(this HttpContext context) => context.GatewayRequest().Settings;
}
