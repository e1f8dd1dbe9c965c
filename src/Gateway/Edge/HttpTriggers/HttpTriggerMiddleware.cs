using System.Diagnostics;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Edge.Telemetry;
using FcGateway.Edge.WebTriggers;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.HttpTriggers;

/// <summary>
/// The HTTP-trigger step of the proxy pipeline, after YARP's session affinity and passive health: event mode goes to
/// <see cref="EventTrigger"/>; web mode hands the request to YARP's forwarder.
/// </summary>
/// <remarks>
/// A conventional middleware (built once with the pipeline), not an <c>IMiddleware</c>: those are resolved per
/// request through a request-scoped factory, which costs every invocation a service scope.
/// </remarks>
internal sealed class HttpTriggerMiddleware(RequestDelegate next, EventTrigger events, WebTriggerForwarder webForwarder, InvocationTelemetry telemetry)
{
    /// <summary>YARP's forwarder, which web-mode routes end in; event mode never calls it.</summary>
    private readonly RequestDelegate _next = next;

    public Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var route = proxy.Route;
        var functionName = FunctionRouteMetadata.GetFunctionName(route.Config) ?? route.Config.RouteId;
        var target = new FunctionTarget(functionName, context.GatewaySettings(), route.Cluster!);
        if (FunctionRouteMetadata.GetTriggerMode(route.Config) == TriggerMode.Web)
        {
            return ForwardAsync(context, target, proxy);
        }

        return Activity.Current is { OperationName: ProxySpan.Name, IsAllDataRequested: true } proxySpan
            ? InvokeTracedEventAsync(context, route, target, proxy, proxySpan)
            : events.InvokeAsync(context, route, target, proxy.AvailableDestinations, proxy);
    }

    /// <summary>
    /// An event invocation under YARP's recorded <c>proxy.forwarder</c> span, which gets the route, cluster and destination
    /// tags YARP's forwarder gives it in web mode (event mode never reaches the forwarder).
    /// </summary>
    private async Task InvokeTracedEventAsync(HttpContext context, RouteModel route, FunctionTarget target, IReverseProxyFeature proxy, Activity proxySpan)
    {
        proxySpan.SetTag(ProxySpan.RouteTag, route.Config.RouteId);
        proxySpan.SetTag(ProxySpan.ClusterTag, route.Cluster!.ClusterId);
        await events.InvokeAsync(context, route, target, proxy.AvailableDestinations, proxy);
        if (proxy.ProxiedDestination is { } destination)
        {
            proxySpan.SetTag(ProxySpan.DestinationTag, destination.DestinationId);
        }
    }

    private async Task ForwardAsync(HttpContext context, FunctionTarget target, IReverseProxyFeature proxy)
    {
        using var scope = telemetry.StartInvocation(context, target.FunctionName, target.Settings);
        var (outcome, reason) = await webForwarder.ForwardAsync(context, _next, target, scope, proxy.AvailableDestinations);
        scope.Complete(outcome, context.Response.StatusCode, reason);
    }
}
