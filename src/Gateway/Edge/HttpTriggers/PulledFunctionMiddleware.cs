using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.HttpTriggers;

/// <summary>
/// Answers the routes of functions whose workers pull their invocations (<c>Gateway:Functions:{name}:RuntimeApi</c>) and
/// that name no cluster: YARP's proxy pipeline refuses a route without a cluster, so such a request is invoked here, after
/// the triggers, as an event-mode HTTP trigger. Every other request goes on.
/// </summary>
internal sealed class PulledFunctionMiddleware(RequestDelegate next, EventTrigger events, RuntimeApiDirectory runtimeApi)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is not { Cluster: null } route
            || FunctionRouteMetadata.GetFunctionName(route.Config) is not { } functionName)
        {
            return next(context);
        }

        var target = new FunctionTarget(functionName, context.GatewaySettings(), runtimeApi.MailboxOf(functionName).Cluster);
        return target.Function.RuntimeApi is null
            ? next(context)
            : events.InvokeAsync(context, route, target, [], proxy: null);
    }
}
