using System.Diagnostics;
using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Http;
using FcGateway.Outcomes;

namespace FcGateway.Edge.Telemetry;

/// <summary>
/// The observability of requests through the gateway: the invocation path reports what happens here and
/// nowhere else, so spans, metrics and the access log stay consistent.
/// </summary>
internal sealed partial class InvocationTelemetry(GatewayMetrics metrics, ILoggerFactory loggerFactory)
{
    /// <summary>
    /// The category of the access log and of the invocation outcome lines, as documented (docs/observability.md): kept
    /// by name, so log filters written for it keep working wherever this class lives.
    /// </summary>
    public const string LogCategory = "FcGateway.Diagnostics.InvocationTelemetry";

    private readonly ILogger _logger = loggerFactory.CreateLogger(LogCategory);

    internal GatewayMetrics Metrics { get; } = metrics;

    /// <summary>Starts observing the invocation of <paramref name="functionName"/> for this request.</summary>
    public InvocationScope StartInvocation(HttpContext context, string functionName, GatewaySettings settings)
    {
        var start = Stopwatch.GetTimestamp();
        Metrics.InvocationStarted(functionName);
        var activity = InvocationSpan.Start(context, functionName, settings);
        return new InvocationScope(this, context, functionName, activity, start);
    }

    /// <summary>Records a request the gateway answered without invoking a function (404, 4xx, 500).</summary>
    public void RecordUnroutedRequest(HttpContext context, Outcome outcome)
    {
        // ASP.NET Core's request activity started with the request, so it gives the duration; when it is recorded it
        // is the only span of such a request, so it gets the request id.
        var elapsed = TimeSpan.Zero;
        if (Activity.Current is { } activity)
        {
            elapsed = DateTime.UtcNow - activity.StartTimeUtc;
            if (activity.IsAllDataRequested)
            {
                activity.SetTag(TelemetryTags.RequestId, context.TraceIdentifier);
                activity.SetTag(TelemetryTags.Outcome, OutcomeTable.Of(outcome).Name);
            }
        }

        WriteAccessLog(context, "", "", outcome, context.Response.StatusCode, elapsed, context.Request.ContentLength ?? 0, context.Response.ContentLength ?? 0);
    }

    internal void Completed(InvocationScope scope, Outcome outcome, int statusCode, string reason)
    {
        // A client that went away received nothing, whatever status a response it left in the middle of had started with.
        if (outcome == Outcome.ClientClosed)
        {
            statusCode = StatusCodes.Status499ClientClosedRequest;
        }

        var elapsed = Stopwatch.GetElapsedTime(scope.StartTimestamp);
        if (outcome != Outcome.Success)
        {
            LogOutcome(scope, outcome, reason);
        }

        if (scope.Activity is { IsAllDataRequested: true } activity)
        {
            InvocationSpan.SetOutcome(activity, outcome, statusCode);
        }

        var context = scope.Context;
        var requestBytes = scope.RequestBodyBytes ?? context.Request.ContentLength;
        var responseBytes = scope.ResponseBodyBytes ?? context.Response.ContentLength;
        Metrics.InvocationCompleted(new InvocationMeasurements(
            scope.FunctionName, context.Request.Method, outcome, statusCode, elapsed, scope.WorkerDuration, requestBytes, responseBytes));
        WriteAccessLog(context, scope.FunctionName, scope.Destination?.DestinationId ?? "", outcome, statusCode, elapsed, requestBytes ?? 0, responseBytes ?? 0);
    }

    /// <summary>The invocation path ended without completing the scope: a fault the outer barrier answers.</summary>
    internal void Abandoned(InvocationScope scope)
    {
        var clientGone = scope.Context.RequestAborted.IsCancellationRequested;
        var outcome = clientGone ? Outcome.ClientClosed : Outcome.InternalError;
        var statusCode = clientGone ? StatusCodes.Status499ClientClosedRequest : StatusCodes.Status500InternalServerError;
        if (scope.Activity is { IsAllDataRequested: true } activity)
        {
            InvocationSpan.SetOutcome(activity, outcome, statusCode);
        }

        // No access log here: the fault barrier answers the request and logs it through RecordUnroutedRequest.
        var context = scope.Context;
        Metrics.InvocationCompleted(new InvocationMeasurements(
            scope.FunctionName, context.Request.Method, outcome, statusCode, Stopwatch.GetElapsedTime(scope.StartTimestamp), scope.WorkerDuration,
            scope.RequestBodyBytes ?? context.Request.ContentLength, null));
    }

    /// <summary>The one line that says why an invocation did not succeed, at the level the outcome table gives.</summary>
    private void LogOutcome(InvocationScope scope, Outcome outcome, string reason)
    {
        var descriptor = OutcomeTable.Of(outcome);
        var level = descriptor.LogLevel;
        if (!_logger.IsEnabled(level))
        {
            return;
        }

        // The reason may quote the worker's error body or the client's request: escaped and bounded like all such text.
        var requestId = scope.Context.TraceIdentifier;
        var escaped = LogText.EscapeText(reason);
        switch (outcome)
        {
            case Outcome.FunctionError:
                Log.FunctionFailed(_logger, level, requestId, scope.FunctionName, escaped);
                break;
            case Outcome.ClientClosed:
                Log.ClientClosed(_logger, level, requestId, scope.FunctionName);
                break;
            case var _ when descriptor.IsThrottle:
                Log.Refused(_logger, level, requestId, scope.FunctionName, descriptor.Name, escaped);
                break;
            case var _ when descriptor.IsRejection:
                RequestRefusalLog.Refused(_logger, level, requestId, descriptor.Name, escaped);
                break;
            default:
                Log.InvocationFailed(_logger, level, requestId, scope.FunctionName, descriptor.Name, escaped);
                break;
        }
    }

    private void WriteAccessLog(
        HttpContext context, string functionName, string destination, Outcome outcome, int statusCode, TimeSpan elapsed, long bytesIn, long bytesOut)
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var request = context.Request;
        Log.Access(_logger, LogText.EscapeField(request.Method), LogText.EscapeField(RequestHost.Of(request).Value ?? ""), LogText.EscapeField(request.Path.Value ?? ""), functionName, destination,
            statusCode, OutcomeTable.Of(outcome).Name, elapsed.TotalMilliseconds, bytesIn, bytesOut, context.TraceIdentifier);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = EventIds.FunctionFailed, Message = "Request {RequestId}: function {FunctionName} failed: {Reason}")]
        public static partial void FunctionFailed(ILogger logger, LogLevel level, string requestId, string functionName, string reason);

        [LoggerMessage(EventId = EventIds.InvocationFailed, Message = "Request {RequestId}: invocation of function {FunctionName} ended {Outcome}: {Reason}")]
        public static partial void InvocationFailed(ILogger logger, LogLevel level, string requestId, string functionName, string outcome, string reason);

        [LoggerMessage(EventId = EventIds.InvocationRefused, Message = "Request {RequestId}: function {FunctionName} refused, {Outcome}: {Reason}")]
        public static partial void Refused(ILogger logger, LogLevel level, string requestId, string functionName, string outcome, string reason);

        [LoggerMessage(EventId = EventIds.ClientClosedRequest, Message = "Request {RequestId}: 499 ClientClosedRequest, the client went away before function {FunctionName} had answered in full.")]
        public static partial void ClientClosed(ILogger logger, LogLevel level, string requestId, string functionName);

        [LoggerMessage(EventIds.AccessLog, LogLevel.Information,
            "{Method} {Host}{Path} function={FunctionName} destination={Destination} status={StatusCode} outcome={Outcome} durationMs={DurationMs} bytesIn={BytesIn} bytesOut={BytesOut} requestId={RequestId}")]
        public static partial void Access(ILogger logger, string method, string host, string path, string functionName, string destination,
            int statusCode, string outcome, double durationMs, long bytesIn, long bytesOut, string requestId);
    }
}
