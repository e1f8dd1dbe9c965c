using System.Diagnostics;

namespace FcGateway.Edge.Telemetry;

/// <summary>
/// YARP's <c>proxy.forwarder</c> span of a request on a function route, and the route, cluster and destination tags it
/// carries. YARP's forwarder adds them in web mode each time it forwards (<see cref="Activity.AddTag(string, object?)"/>,
/// which keeps an earlier value beside the new one); the gateway sets them itself in event mode, which never reaches the
/// forwarder.
/// </summary>
internal static class ProxySpan
{
    public const string Name = "proxy.forwarder";
    public const string RouteTag = "proxy.route_id";
    public const string ClusterTag = "proxy.cluster_id";
    public const string DestinationTag = "proxy.destination_id";

    /// <summary>
    /// Removes the tags of a forward that never reached its worker (the address refused the connection), before the request
    /// is forwarded to another instance: the span then names the destination that served it, once. The span is found from
    /// <paramref name="current"/> up, since the invocation's span, when recorded, is its child.
    /// </summary>
    public static void ForgetForward(Activity? current)
    {
        for (var span = current; span is not null; span = span.Parent)
        {
            if (span.OperationName == Name)
            {
                span.SetTag(RouteTag, null);
                span.SetTag(ClusterTag, null);
                span.SetTag(DestinationTag, null);
                return;
            }
        }
    }
}
