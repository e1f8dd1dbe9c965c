using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// An accepted edit while YARP switches to its routes, and after until the next: its settings, its routes and the routes
/// it replaces. YARP serves the new routes a moment before it reports them applied, and the settings in force until then
/// go with the routes replaced; a request routed then (or later, with a snapshot taken before) to a route of the edit is
/// served with the edit's settings instead, so that no route is served with the trigger of the route it replaces
/// (<see cref="GatewaySettingsMonitor.SettingsServing"/>). One edit switches at a time: the next is read only once YARP
/// has reported this one applied (<see cref="GatewayProxyConfigProvider"/>), so none replaces one YARP has not taken.
/// </summary>
internal sealed record SwitchingEdit(GatewaySettings Settings, IReadOnlyList<RouteConfig> Routes, IReadOnlyList<RouteConfig> Replaced)
{
    /// <summary>Whether <paramref name="route"/>, as YARP serves it, is one of the edit's routes that the edit adds or changes.</summary>
    public bool Serves(RouteConfig route) => Holds(Routes, route) && !Holds(Replaced, route);

    /// <summary>
    /// Whether <paramref name="routes"/> hold <paramref name="route"/>: YARP serves each route with the authorization and
    /// CORS policies the gateway's route filter gives it (<see cref="FunctionRouteConfigFilter"/>), and otherwise as read.
    /// </summary>
    private static bool Holds(IReadOnlyList<RouteConfig> routes, RouteConfig route) => routes.Any(read =>
        string.Equals(read.RouteId, route.RouteId, StringComparison.OrdinalIgnoreCase)
        && route.Equals(read with { AuthorizationPolicy = route.AuthorizationPolicy, CorsPolicy = route.CorsPolicy }));
}
