using FcGateway.Configuration;
using FcGateway.Edge.Responses;
using FcGateway.Http;
using FcGateway.Outcomes;

namespace FcGateway.Edge.Requests;

/// <summary>
/// The rules a request is held to that its settings decide: the gateway's own response headers
/// (<see cref="GatewayResponseHeaders"/>), the request limits (<see cref="RequestLimits"/>) and the removal of the
/// forwarding headers of a peer the settings do not trust (<see cref="UntrustedForwardingHeaders"/>). Applied on arrival
/// with the settings the request takes then, and again right after routing when routing gives it a reload's settings
/// instead (<see cref="GatewayRequestFeature.RoutedTo"/>), so that it is served under the rules of one snapshot. Forwarding
/// headers removed on arrival, from a peer that only the edit trusts, stay removed: the request goes on with fewer of
/// them, which is safe; those the edit no longer trusts are removed the second time.
/// </summary>
internal static class RequestSettingsRules
{
    /// <summary>Holds the request to the rules of <paramref name="settings"/>.</summary>
    /// <param name="context">The request.</param>
    /// <param name="settings">The settings it is served under.</param>
    /// <param name="message">Why it is refused, or empty.</param>
    /// <param name="headers">Its headers' scan, made for the header limit (default when the request was refused before it).</param>
    /// <returns>The error to answer with, or null when the request is within the limits.</returns>
    public static Outcome? Apply(HttpContext context, GatewaySettings settings, out string message, out RequestHeaderScan headers)
    {
        GatewayResponseHeaders.Apply(context, settings);
        if (RequestLimits.Apply(context, settings.Limits, out message, out headers) is { } refused)
        {
            return refused;
        }

        UntrustedForwardingHeaders.RemoveUnlessTrusted(context.Request.Headers, context.Connection.RemoteIpAddress, settings.TrustedProxies);
        return null;
    }
}
