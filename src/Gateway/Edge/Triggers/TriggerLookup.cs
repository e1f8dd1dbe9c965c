using FcGateway.Configuration.Triggers;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.Triggers;

/// <summary>
/// Finds the settings of the trigger a request was routed to, from the settings in force now — never cached
/// per route, so a reload of the <c>Gateway</c> section applies to the next request.
/// </summary>
internal static class TriggerLookup
{
    /// <summary>
    /// The trigger of the matched YARP route from the request's settings snapshot, or null for a request no function
    /// route matched; looked up once per request (CORS and the trigger middleware both ask, the trigger middleware on
    /// every request, before the steps that invoke the function), which is when the snapshot is settled for the route
    /// (<see cref="GatewayRequestFeature.RoutedTo"/>).
    /// </summary>
    public static TriggerSettings? Find(HttpContext context)
    {
        var request = context.GatewayRequest();
        if (!request.TriggerResolved)
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is { } route)
            {
                request.RoutedTo(route.Config);
                request.Trigger = request.Settings.GetTrigger(route.Config.RouteId);
            }

            request.TriggerResolved = true;
        }

        return request.Trigger;
    }

    /// <summary>The id of the matched YARP route, for logs.</summary>
    public static string RouteId(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId ?? "";
}
