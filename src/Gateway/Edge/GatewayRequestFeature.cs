using FcGateway.Configuration;
using FcGateway.Configuration.Triggers;

namespace FcGateway.Edge;

/// <summary>
/// What the edge resolves once per request, as YARP's <c>IReverseProxyFeature</c> does for a proxied request: the
/// settings snapshot the whole request runs under (a reload in the middle of a request never mixes
/// two snapshots) and, once routed, the trigger. Every step after the request middleware reads it instead of the
/// settings monitor.
/// </summary>
/// <remarks>The request id is <see cref="HttpContext.TraceIdentifier"/>, set by the same middleware.</remarks>
internal sealed class GatewayRequestFeature(GatewaySettings settings)
{
    /// <summary>The <c>Gateway</c> settings in force when the request arrived.</summary>
    public GatewaySettings Settings { get; } = settings;

    /// <summary>The trigger of the route the request was routed to, once <see cref="TriggerResolved"/>; null for no function route.</summary>
    public TriggerSettings? Trigger { get; set; }

    /// <summary>Whether <see cref="Trigger"/> has been looked up.</summary>
    public bool TriggerResolved { get; set; }
}
