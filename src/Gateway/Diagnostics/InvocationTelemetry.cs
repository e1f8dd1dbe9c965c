using System.Diagnostics;
using FcGateway.Configuration;

namespace FcGateway.Diagnostics;

/// <summary>
/// The observability of requests through the gateway: the invocation path reports what happens here and
/// nowhere else, so spans, metrics and the access log stay consistent.
/// </summary>
internal sealed partial class InvocationTelemetry(GatewayMetrics metrics, GatewaySettingsMonitor settings, ILogger<InvocationTelemetry> logger)
{
    internal GatewayMetrics Metrics { get; } = metrics;

    /// <summary>Starts observing the invocation of <paramref name="functionName"/> for this request.</summary>
    public InvocationScope StartInvocation(HttpContext context, string functionName)
    {
        var start = Stopwatch.GetTimestamp();
        Metrics.InvocationStarted(functionName);
        var activity = InvocationSpan.Start(context, functionName, settings.Current);
        return new InvocationScope(this, context, functionName, activity, start);
    }

    /// <summary>Records a request the gateway answered without invoking a function (404, 4xx, 500).</summary>
    public void RecordUnroutedRequest(HttpContext context, InvocationOutcome outcome)
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
                activity.SetTag(TelemetryTags.Outcome, InvocationOutcomeNames.Of(outcome));
            }
        }

        WriteAccessLog(context, "", "", outcome, context.Response.StatusCode, elapsed, context.Request.ContentLength ?? 0);
    }

    internal void Completed(InvocationScope scope, InvocationOutcome outcome, int statusCode)
    {
        var elapsed = Stopwatch.GetElapsedTime(scope.StartTimestamp);
        if (scope.Activity is { IsAllDataRequested: true } activity)
        {
            InvocationSpan.SetOutcome(activity, outcome, statusCode);
        }

        var context = scope.Context;
        var requestBytes = scope.RequestBodyBytes ?? context.Request.ContentLength;
        Metrics.InvocationCompleted(new InvocationMeasurements(
            scope.FunctionName, context.Request.Method, outcome, statusCode, elapsed, scope.WorkerDuration, requestBytes, context.Response.ContentLength));
        WriteAccessLog(context, scope.FunctionName, scope.Destination?.DestinationId ?? "", outcome, statusCode, elapsed, requestBytes ?? 0);
    }

    /// <summary>The invocation path ended without completing the scope: a fault the outer barrier answers.</summary>
    internal void Abandoned(InvocationScope scope)
    {
        var clientGone = scope.Context.RequestAborted.IsCancellationRequested;
        var outcome = clientGone ? InvocationOutcome.ClientClosed : InvocationOutcome.InternalError;
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

    private void WriteAccessLog(
        HttpContext context, string functionName, string destination, InvocationOutcome outcome, int statusCode, TimeSpan elapsed, long bytesIn)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var request = context.Request;
        Log.Access(logger, request.Method, LogText.Escape(request.Host.Value ?? ""), LogText.Escape(request.Path.Value ?? ""), functionName, destination,
            statusCode, InvocationOutcomeNames.Of(outcome), elapsed.TotalMilliseconds, bytesIn, context.Response.ContentLength ?? 0, context.TraceIdentifier);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.AccessLog, LogLevel.Information,
            "{Method} {Host}{Path} function={FunctionName} destination={Destination} status={StatusCode} outcome={Outcome} durationMs={DurationMs} bytesIn={BytesIn} bytesOut={BytesOut} requestId={RequestId}")]
        public static partial void Access(ILogger logger, string method, string host, string path, string functionName, string destination,
            int statusCode, string outcome, double durationMs, long bytesIn, long bytesOut, string requestId);
    }
}
