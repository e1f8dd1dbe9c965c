using FcGateway.Configuration.Triggers;
using FcGateway.Edge.Requests;
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
    /// route matched (<see cref="Routed"/>).
    /// </summary>
    public static TriggerSettings? Find(HttpContext context) => Routed(context).Trigger;

    /// <summary>
    /// The request, its trigger looked up: once per request (CORS and the trigger middleware both ask, the CORS middleware
    /// first on every request, before the steps that invoke the function), which is when the snapshot is settled for the
    /// route (<see cref="GatewayRequestFeature.RoutedTo"/>). A request that routing gives a reload's settings is held to
    /// the rules these decide too (<see cref="RequestSettingsRules"/>), a refusal by their limits kept for the first step
    /// after routing to answer (<see cref="GatewayRequestFeature.RoutedLimitsRefusal"/>).
    /// </summary>
    public static GatewayRequestFeature Routed(HttpContext context)
    {
        var request = context.GatewayRequest();
        if (!request.TriggerResolved)
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is { } route)
            {
                var arrived = request.Settings;
                request.RoutedTo(route.Config);
                if (!ReferenceEquals(arrived, request.Settings) && RequestSettingsRules.Apply(context, request.Settings, out var message, out _) is { } refused)
                {
                    request.RoutedLimitsRefusal = (refused, message);
                }

                request.Trigger = request.Settings.GetTrigger(route.Config.RouteId);
            }

            request.TriggerResolved = true;
        }

        return request;
    }

    /// <summary>The id of the matched YARP route, for logs.</summary>
    public static string RouteId(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.RouteId ?? "";
}
