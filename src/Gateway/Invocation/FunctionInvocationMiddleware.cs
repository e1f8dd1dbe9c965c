using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Errors;
using FcGateway.Events;
using FcGateway.Output;
using FcGateway.Requests;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Invocation;

/// <summary>
/// The last step of the proxy pipeline for event-mode routes, after YARP's session affinity, load balancing
/// and passive health: maps the request to an event, invokes the chosen worker and writes its translated
/// output, or the error the outcome calls for.
/// </summary>
internal sealed partial class FunctionInvocationMiddleware(
    GatewaySettingsMonitor settingsMonitor,
    WorkerInvoker invoker,
    GatewayErrorWriter errors,
    InvocationTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<FunctionInvocationMiddleware> logger) : IMiddleware
{
    /// <summary>Room for the event's fields around the body, so most events fit the first buffer.</summary>
    private const int EventOverheadBytes = 2048;

    /// <remarks>Terminal: every proxied route is a function, so <paramref name="next"/> is never called.</remarks>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var proxy = context.GetReverseProxyFeature();
        var functionName = FunctionRouteMetadata.GetFunctionName(proxy.Route.Config) ?? proxy.Route.Config.RouteId;
        var settings = settingsMonitor.Current;
        var requestId = context.TraceIdentifier;
        using var scope = telemetry.StartInvocation(context, functionName);
        var destination = PickDestination(proxy);
        if (destination is null)
        {
            Log.NoAvailableInstance(logger, requestId, functionName);
            await errors.WriteAsync(context, GatewayError.ResourceThrottled);
            scope.Complete(InvocationOutcome.NoInstance, context.Response.StatusCode);
            return;
        }

        proxy.ProxiedDestination = destination;
        scope.SetDestination(destination);
        var requestTime = timeProvider.GetUtcNow();
        using var body = new PooledBuffer((int)Math.Min(context.Request.ContentLength ?? 0, settings.Limits.MaxRequestBodyBytes) + 1);
        if (await TryReadBodyAsync(context, body, settings.Limits) is { } bodyError)
        {
            await errors.WriteAsync(context, bodyError.Error, bodyError.Message);
            scope.Complete(InvocationOutcome.Rejected, context.Response.StatusCode);
            return;
        }

        var (rawPath, query) = await RequestTarget.ResolveAsync(context, proxy.Route);
        using var eventBuffer = new PooledBuffer(body.WrittenCount / 3 * 4 + EventOverheadBytes);
        HttpTriggerEventWriter.Write(eventBuffer, EventRequestFactory.Create(context, rawPath, query, body.WrittenMemory, settings, requestTime));

        var invocation = new FunctionInvocation(requestId, functionName, settings.GetFunction(functionName), settings, proxy.Cluster, destination);
        using var activity = InvocationActivity.StartIfNoneCurrent();
        using var output = new PooledBuffer();
        var result = await invoker.InvokeAsync(invocation, eventBuffer.WrittenMemory, output, context.RequestAborted);
        var outcome = await RespondAsync(context, invocation, result, output);
        scope.Complete(outcome, context.Response.StatusCode);
    }

    private static DestinationState? PickDestination(IReverseProxyFeature proxy)
    {
        var destinations = proxy.AvailableDestinations;
        return destinations.Count switch
        {
            0 => null,
            1 => destinations[0],
            _ => destinations[Random.Shared.Next(destinations.Count)],
        };
    }

    private async Task<(GatewayError Error, string Message)?> TryReadBodyAsync(HttpContext context, PooledBuffer body, GatewayLimits limits)
    {
        var tooLarge = (GatewayError.EntityTooLarge, $"The request body exceeds {limits.MaxRequestBodyBytes} bytes.");
        try
        {
            return await RequestBodyReader.TryReadAsync(context.Request, body, limits.MaxRequestBodyBytes, context.RequestAborted) ? null : tooLarge;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return tooLarge;
        }
        catch (BadHttpRequestException ex)
        {
            Log.MalformedBody(logger, context.TraceIdentifier, ex.Message);
            return (GatewayError.InvalidArgument, "The request body is malformed.");
        }
    }

    private async Task<InvocationOutcome> RespondAsync(HttpContext context, FunctionInvocation invocation, InvocationResult result, PooledBuffer output)
    {
        var requestId = invocation.RequestId;
        switch (result.Status)
        {
            case InvocationStatus.Succeeded:
                return await WriteOutputAsync(context, invocation, output);
            case InvocationStatus.ClientClosed:
                Log.ClientClosed(logger, requestId, invocation.FunctionName);
                await errors.WriteAsync(context, GatewayError.ClientClosedRequest);
                return InvocationOutcome.ClientClosed;
            case InvocationStatus.FunctionFailed:
                Log.FunctionFailed(logger, requestId, invocation.FunctionName, result.Reason, WorkerErrorText.From(output.WrittenSpan));
                break;
            case InvocationStatus.TimedOut:
                ReportToPassiveHealth(context, ForwarderError.RequestTimedOut, result.Reason);
                Log.InvocationFailed(logger, requestId, invocation.FunctionName, result.Status, result.Reason);
                break;
            case InvocationStatus.WorkerCrashed:
                ReportToPassiveHealth(context, ForwarderError.Request, result.Reason);
                Log.InvocationFailed(logger, requestId, invocation.FunctionName, result.Status, result.Reason);
                break;
            default:
                Log.InvocationFailed(logger, requestId, invocation.FunctionName, result.Status, result.Reason);
                break;
        }

        await errors.WriteAsync(context, GatewayError.FunctionFailed);
        return OutcomeOf(result.Status);
    }

    private async Task<InvocationOutcome> WriteOutputAsync(HttpContext context, FunctionInvocation invocation, PooledBuffer output)
    {
        var dropped = new List<string>(0);
        var translation = WorkerOutputTranslator.Translate(output.WrittenWritableMemory, context.Response.Headers, invocation.Gateway.Limits.MaxResponseHeaderBytes, dropped);
        foreach (var name in dropped)
        {
            Log.ResponseHeaderDropped(logger, invocation.RequestId, invocation.FunctionName, name);
        }

        if (!translation.IsValid)
        {
            Log.InvocationFailed(logger, invocation.RequestId, invocation.FunctionName, InvocationStatus.BadResponse, translation.Error!);
            await errors.WriteAsync(context, GatewayError.FunctionFailed);
            return InvocationOutcome.BadResponse;
        }

        await FunctionResponseWriter.WriteAsync(context, translation);
        return InvocationOutcome.Success;
    }

    private static InvocationOutcome OutcomeOf(InvocationStatus status) => status switch
    {
        InvocationStatus.Succeeded => InvocationOutcome.Success,
        InvocationStatus.FunctionFailed => InvocationOutcome.FunctionError,
        InvocationStatus.TimedOut => InvocationOutcome.Timeout,
        InvocationStatus.WorkerCrashed => InvocationOutcome.WorkerCrashed,
        InvocationStatus.BadResponse => InvocationOutcome.BadResponse,
        InvocationStatus.InitializationFailed => InvocationOutcome.InitializationFailed,
        _ => InvocationOutcome.ClientClosed,
    };

    private static void ReportToPassiveHealth(HttpContext context, ForwarderError error, string reason) =>
        context.Features.Set<IForwarderErrorFeature>(new InvocationErrorFeature(error, reason));

    private static partial class Log
    {
        [LoggerMessage(EventIds.NoAvailableInstance, LogLevel.Warning, "Request {RequestId}: no healthy instance of function {FunctionName} is available (503 ResourceThrottled).")]
        public static partial void NoAvailableInstance(ILogger logger, string requestId, string functionName);

        [LoggerMessage(EventIds.FunctionFailed, LogLevel.Warning, "Request {RequestId}: function {FunctionName} failed: {Reason} Error body: {ErrorBody}")]
        public static partial void FunctionFailed(ILogger logger, string requestId, string functionName, string reason, string errorBody);

        [LoggerMessage(EventIds.InvocationFailed, LogLevel.Warning, "Request {RequestId}: invocation of function {FunctionName} ended {Outcome}: {Reason}")]
        public static partial void InvocationFailed(ILogger logger, string requestId, string functionName, InvocationStatus outcome, string reason);

        [LoggerMessage(EventIds.ClientClosedRequest, LogLevel.Information, "Request {RequestId}: 499 ClientClosedRequest, the client went away while function {FunctionName} ran.")]
        public static partial void ClientClosed(ILogger logger, string requestId, string functionName);

        [LoggerMessage(EventIds.ResponseHeaderDropped, LogLevel.Warning, "Request {RequestId}: function {FunctionName} returned the invalid response header '{HeaderName}', which was dropped.")]
        public static partial void ResponseHeaderDropped(ILogger logger, string requestId, string functionName, string headerName);

        [LoggerMessage(EventIds.RequestRejected, LogLevel.Information, "Request {RequestId}: malformed request body: {Reason}")]
        public static partial void MalformedBody(ILogger logger, string requestId, string reason);
    }
}
