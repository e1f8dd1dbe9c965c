using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Errors;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Triggers;

/// <summary>
/// Refuses a method the trigger does not list in <c>Methods</c> with 405, the FC error body and an <c>Allow</c>
/// header. It runs after CORS, so a preflight the gateway answers never reaches it.
/// </summary>
internal sealed partial class TriggerMethodsMiddleware(
    RequestDelegate next,
    GatewaySettingsMonitor settings,
    GatewayErrorWriter errors,
    InvocationTelemetry telemetry,
    ILogger<TriggerMethodsMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var trigger = TriggerLookup.Find(context, settings.Current);
        return trigger is null || trigger.AllowsMethod(context.Request.Method) ? next(context) : RejectAsync(context, trigger);
    }

    private async Task RejectAsync(HttpContext context, TriggerSettings trigger)
    {
        var method = context.Request.Method;
        Log.MethodNotAllowed(logger, context.TraceIdentifier, method, TriggerLookup.RouteId(context));
        ResponseHeadersOnStart.Set(context, HeaderNames.Allow, trigger.AllowHeader);
        await errors.WriteAsync(context, GatewayError.MethodNotAllowed, $"The method {method} is not allowed by this trigger; use {trigger.AllowHeader}.");
        telemetry.RecordUnroutedRequest(context, InvocationOutcome.Rejected);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.TriggerMethodNotAllowed, LogLevel.Information, "Request {RequestId}: method {Method} is not allowed by trigger '{RouteId}'.")]
        public static partial void MethodNotAllowed(ILogger logger, string requestId, string method, string routeId);
    }
}
