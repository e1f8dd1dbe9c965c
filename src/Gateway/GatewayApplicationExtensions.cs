using FcGateway.Edge.Errors;
using FcGateway.Edge.Health;
using FcGateway.Edge.HttpTriggers;
using FcGateway.Edge.InvokeApi;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Triggers;
using FcGateway.Outcomes;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the HTTP-trigger gateway's pipeline.</summary>
public static class GatewayApplicationExtensions
{
    /// <summary>
    /// Adds the request middleware (request id, limits, malformed requests, fault barrier), routing, the trigger's CORS,
    /// the client <c>x-fc-*</c> rule for the chosen endpoint, the triggers, the
    /// YARP routes of the functions, and the 404 FunctionNotFound answer for everything else.
    /// </summary>
    public static WebApplication MapFcGateway(this WebApplication app)
    {
        app.UseMiddleware<GatewayRequestMiddleware>();
        app.UseRouting();
        app.UseFcTriggerCors();
        app.UseMiddleware<ClientFcHeadersMiddleware>();
        app.UseFcTriggers();
        app.UseMiddleware<PulledFunctionMiddleware>();
        app.MapReverseProxy(proxy =>
        {
            // No UseLoadBalancing(): the function's instance scheduler picks among the instances with room,
            // applying the cluster's load-balancing policy to those.
            proxy.UseSessionAffinity();
            proxy.UsePassiveHealthChecks();
            proxy.UseMiddleware<HttpTriggerMiddleware>();
        });

        var health = app.Services.GetRequiredService<HealthEndpoints>();
        app.MapMethods(HealthEndpoints.LivenessPath, HealthEndpoints.Methods, HealthEndpoints.LiveAsync).WithOrder(-2);
        app.MapMethods(HealthEndpoints.ReadinessPath, HealthEndpoints.Methods, health.ReadyAsync).WithOrder(-2);

        var invokeApi = app.Services.GetRequiredService<InvokeApiEndpoint>();
        MapInvokeApi(app, invokeApi, FcInvokeApi.Instance, KeepsClientFcHeaders.Instance, FcInvokeApi.ErrorShape.Instance);
        MapInvokeApi(app, invokeApi, LambdaInvokeApi.Instance, LambdaInvokeApi.ErrorShape.Instance);
        MapInvokeApi(app, invokeApi, LambdaStreamingInvokeApi.Instance, LambdaInvokeApi.ErrorShape.Instance);

        var errors = app.Services.GetRequiredService<GatewayErrorWriter>();

        app.MapFallback("/{**path}", context =>
            errors.RefuseAsync(context, Outcome.FunctionNotFound, LambdaInvokeApi.IsOtherOperation(context) ? LambdaInvokeApi.OtherOperation : null));
        return app;
    }

    /// <summary>POST on the dialect's path invokes; its other methods get 405. Both carry the dialect's own metadata.</summary>
    private static void MapInvokeApi(WebApplication app, InvokeApiEndpoint endpoint, InvokeApiDialect dialect, params object[] metadata)
    {
        app.MapPost(dialect.Pattern, (HttpContext context, string functionName) => endpoint.InvokeAsync(context, functionName, dialect))
            .WithMetadata(metadata)
            .WithOrder(-1);
        app.MapMethods(dialect.Pattern, InvokeApiDialect.OtherMethods, endpoint.RefuseMethodAsync).WithMetadata(metadata).WithOrder(-1);
    }
}
