using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Errors;
using FcGateway.ForwardedHeaders;
using FcGateway.Output;
using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Requests;

/// <summary>
/// The gateway's outermost middleware: gives the request its id (the <see cref="HttpContext.TraceIdentifier"/>
/// and <c>X-Fc-Request-Id</c> of the response), enforces the request limits, refuses malformed requests,
/// removes forwarding headers from untrusted peers, and turns any unexpected fault into a 500 without details.
/// </summary>
internal sealed partial class GatewayRequestMiddleware(
    RequestDelegate next,
    RequestIdGenerator requestIds,
    GatewaySettingsMonitor settingsMonitor,
    GatewayErrorWriter errors,
    InvocationTelemetry telemetry,
    ILogger<GatewayRequestMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            var settings = settingsMonitor.Current;
            context.TraceIdentifier = requestIds.Next();
            GatewayResponseHeaders.Apply(context, settings);
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = settings.Limits.MaxRequestBodyBytes;
            }

            if (RequestLimits.Check(context, settings.Limits, out var message) is { } violation)
            {
                await RejectAsync(context, violation, message);
                return;
            }

            if (MalformedRequests.Find(context) is { } malformed)
            {
                await RejectAsync(context, GatewayError.InvalidArgument, malformed);
                return;
            }

            if (!ForwardedFor.IsTrusted(settings.TrustedProxies, context.Connection.RemoteIpAddress))
            {
                UntrustedForwardingHeaders.Remove(context.Request.Headers);
            }

            await next(context);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            Log.ClientClosedRequest(logger, context.TraceIdentifier);
            await errors.WriteAsync(context, GatewayError.ClientClosedRequest);
            telemetry.RecordUnroutedRequest(context, InvocationOutcome.ClientClosed);
        }
        catch (Exception ex)
        {
            Log.UnhandledException(logger, context.TraceIdentifier, ex);
            await errors.WriteAsync(context, GatewayError.InternalServerError);
            telemetry.RecordUnroutedRequest(context, InvocationOutcome.InternalError);
        }
    }

    private async Task RejectAsync(HttpContext context, GatewayError error, string reason)
    {
        Log.RequestRejected(logger, context.TraceIdentifier, LogText.Escape(reason));
        await errors.WriteAsync(context, error, reason);
        telemetry.RecordUnroutedRequest(context, InvocationOutcome.Rejected);
    }

    private static partial class Log
    {
        // Debug: a malformed or oversized request is the client's doing, and any client could fill the log with it.
        [LoggerMessage(EventIds.RequestRejected, LogLevel.Debug, "Request {RequestId} rejected: {Reason}")]
        public static partial void RequestRejected(ILogger logger, string requestId, string reason);

        [LoggerMessage(EventIds.ClientClosedRequest, LogLevel.Information, "Request {RequestId}: 499 ClientClosedRequest, the client went away.")]
        public static partial void ClientClosedRequest(ILogger logger, string requestId);

        [LoggerMessage(EventIds.UnhandledException, LogLevel.Error, "Request {RequestId}: 500 InternalServerError, an unexpected gateway fault.")]
        public static partial void UnhandledException(ILogger logger, string requestId, Exception exception);
    }
}
