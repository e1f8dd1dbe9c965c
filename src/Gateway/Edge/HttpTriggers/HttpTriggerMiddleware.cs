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
        return FunctionRouteMetadata.GetTriggerMode(route.Config) == TriggerMode.Web
            ? ForwardAsync(context, target, proxy)
            : events.InvokeAsync(context, route, target, proxy.AvailableDestinations, proxy);
    }

    private async Task ForwardAsync(HttpContext context, FunctionTarget target, IReverseProxyFeature proxy)
    {
        using var scope = telemetry.StartInvocation(context, target.FunctionName, target.Settings);
        var (outcome, reason) = await webForwarder.ForwardAsync(context, _next, target, scope, proxy.AvailableDestinations);
        scope.Complete(outcome, context.Response.StatusCode, reason);
    }
}
