using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Errors;
using FcGateway.Events;
using FcGateway.Output;
using FcGateway.Requests;
using FcGateway.WebTriggers;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace FcGateway.Invocation;

/// <summary>
/// The function step of the proxy pipeline, after YARP's session affinity and passive health. Event mode:
/// maps the request to an event, calls the function on an instance with room, and writes its translated
/// output, or the error the outcome calls for. Web mode: hands the request to YARP's forwarder.
/// </summary>
/// <remarks>
/// A conventional middleware (built once with the pipeline), not an <c>IMiddleware</c>: those are resolved per
/// request through a request-scoped factory, which costs every invocation a service scope.
/// </remarks>
internal sealed partial class FunctionInvocationMiddleware(
    RequestDelegate next,
    GatewaySettingsMonitor settingsMonitor,
    FunctionCaller caller,
    WebTriggerForwarder webForwarder,
    GatewayErrorWriter errors,
    InvocationTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<FunctionInvocationMiddleware> logger)
{
    /// <summary>YARP's forwarder, which web-mode routes end in; event mode never calls it.</summary>
    private readonly RequestDelegate _next = next;

    /// <summary>Room for the event's fields other than the body, so most heads fit the first buffer.</summary>
    private const int EventHeadBytes = 2048;

    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var functionName = FunctionRouteMetadata.GetFunctionName(proxy.Route.Config) ?? proxy.Route.Config.RouteId;
        var target = new FunctionTarget(functionName, settingsMonitor.Current, proxy.Route.Cluster!);
        using var scope = telemetry.StartInvocation(context, functionName);
        var candidates = proxy.AvailableDestinations;
        if (FunctionRouteMetadata.GetTriggerMode(proxy.Route.Config) == TriggerMode.Web)
        {
            scope.Complete(await webForwarder.ForwardAsync(context, _next, target, scope, candidates), context.Response.StatusCode);
            return;
        }

        if (candidates.Count == 0)
        {
            var refused = new InvocationResult(InvocationStatus.NoInstance, $"Function {functionName} has no available instance.");
            scope.Complete(await RespondAsync(context, target, refused, output: null), context.Response.StatusCode);
            return;
        }

        var limits = target.Settings.Limits;
        var requestTime = timeProvider.GetUtcNow();
        using var body = RequestBodyReader.BufferFor(context.Request, limits);
        if (await RequestBodyReader.ReadAsync(context.Request, body, limits, context.RequestAborted) is { } bodyError)
        {
            Log.BodyRejected(logger, context.TraceIdentifier, bodyError.Message);
            await errors.WriteAsync(context, bodyError.Error, bodyError.Message);
            scope.Complete(InvocationOutcome.Rejected, context.Response.StatusCode);
            return;
        }

        scope.SetRequestBodySize(body.WrittenCount);

        var (rawPath, query) = await RequestTarget.ResolveAsync(context, proxy.Route);
        using var eventHead = new PooledBuffer(EventHeadBytes);
        var base64 = HttpTriggerEventWriter.WriteHead(eventHead, EventRequestFactory.Create(context, rawPath, query, body.WrittenMemory, target.Settings, requestTime));

        using var activity = InvocationActivity.StartIfNoneCurrent();
        using var output = new PooledBuffer();
        var result = await caller.CallAsync(context, scope, target, candidates, new EventContent(eventHead, body.WrittenMemory, base64), output);
        scope.Complete(await RespondAsync(context, target, result, output), context.Response.StatusCode);
    }

    private async Task<InvocationOutcome> RespondAsync(HttpContext context, FunctionTarget target, InvocationResult result, PooledBuffer? output)
    {
        var requestId = context.TraceIdentifier;
        if (result.Status == InvocationStatus.Succeeded)
        {
            return await WriteOutputAsync(context, target, output!);
        }

        switch (result.Status)
        {
            case InvocationStatus.FunctionFailed:
                Log.FunctionFailed(logger, requestId, target.FunctionName, result.Reason, WorkerErrorText.From(output!.WrittenSpan));
                break;
            case InvocationStatus.TimedOut:
                ReportToPassiveHealth(context, ForwarderError.RequestTimedOut, result.Reason);
                Log.InvocationFailed(logger, requestId, target.FunctionName, result.Status, result.Reason);
                break;
            case InvocationStatus.WorkerCrashed:
                ReportToPassiveHealth(context, ForwarderError.Request, result.Reason);
                Log.InvocationFailed(logger, requestId, target.FunctionName, result.Status, result.Reason);
                break;
            case InvocationStatus.ClientClosed:
                Log.ClientClosed(logger, requestId, target.FunctionName);
                break;
            case InvocationStatus.NoInstance:
            case InvocationStatus.Throttled:
                Log.Refused(logger, requestId, target.FunctionName, result.Reason);
                break;
            default:
                Log.InvocationFailed(logger, requestId, target.FunctionName, result.Status, result.Reason);
                break;
        }

        await errors.WriteAsync(context, InvocationOutcomes.ErrorOf(result.Status), InvocationOutcomes.IsFunctionFailure(result.Status) ? null : result.Reason);
        return InvocationOutcomes.OutcomeOf(result.Status);
    }

    private async Task<InvocationOutcome> WriteOutputAsync(HttpContext context, FunctionTarget target, PooledBuffer output)
    {
        var translation = WorkerOutputTranslator.Translate(output.WrittenWritableMemory, context.Response.Headers, target.Settings.Limits.MaxResponseHeaderBytes);
        foreach (var name in translation.DroppedHeaders)
        {
            Log.ResponseHeaderDropped(logger, context.TraceIdentifier, target.FunctionName, name);
        }

        if (!translation.IsValid)
        {
            Log.InvocationFailed(logger, context.TraceIdentifier, target.FunctionName, InvocationStatus.BadResponse, translation.Error!);
            await errors.WriteAsync(context, GatewayError.FunctionFailed);
            return InvocationOutcome.BadResponse;
        }

        await FunctionResponseWriter.WriteAsync(context, translation);
        return InvocationOutcome.Success;
    }

    private static void ReportToPassiveHealth(HttpContext context, ForwarderError error, string reason) =>
        context.Features.Set<IForwarderErrorFeature>(new InvocationErrorFeature(error, reason));

    private static partial class Log
    {
        [LoggerMessage(EventIds.FunctionFailed, LogLevel.Warning, "Request {RequestId}: function {FunctionName} failed: {Reason} Error body: {ErrorBody}")]
        public static partial void FunctionFailed(ILogger logger, string requestId, string functionName, string reason, string errorBody);

        [LoggerMessage(EventIds.InvocationFailed, LogLevel.Warning, "Request {RequestId}: invocation of function {FunctionName} ended {Outcome}: {Reason}")]
        public static partial void InvocationFailed(ILogger logger, string requestId, string functionName, InvocationStatus outcome, string reason);

        [LoggerMessage(EventIds.ResponseHeaderDropped, LogLevel.Warning, "Request {RequestId}: function {FunctionName} returned the invalid response header '{HeaderName}', which was dropped.")]
        public static partial void ResponseHeaderDropped(ILogger logger, string requestId, string functionName, string headerName);

        [LoggerMessage(EventIds.ClientClosedRequest, LogLevel.Information, "Request {RequestId}: 499 ClientClosedRequest, the client went away before function {FunctionName} answered.")]
        public static partial void ClientClosed(ILogger logger, string requestId, string functionName);

        [LoggerMessage(EventIds.InvocationRefused, LogLevel.Warning, "Request {RequestId}: function {FunctionName} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string requestId, string functionName, string reason);

        [LoggerMessage(EventIds.RequestRejected, LogLevel.Debug, "Request {RequestId}: body rejected: {Reason}")]
        public static partial void BodyRejected(ILogger logger, string requestId, string reason);
    }
}
