using FcGateway.Configuration;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Triggers;

/// <summary>
/// Finds the settings of the trigger a request was routed to, from the settings in force now — never cached
/// per route, so a reload of the <c>Gateway</c> section applies to the next request.
/// </summary>
internal static class TriggerLookup
{
    /// <summary>The trigger of the matched YARP route, or null for a request no function route matched.</summary>
    public static TriggerSettings? Find(HttpContext context, GatewaySettings settings) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is { } route ? settings.GetTrigger(route.Config.RouteId) : null;

    /// <summary>The id of the matched YARP route, for logs.</summary>
    public static string RouteId(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId ?? "";
}
