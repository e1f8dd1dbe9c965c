using System.Diagnostics;

namespace FcGateway.Diagnostics;

/// <summary>
/// The observability of requests through the gateway: the invocation path reports what happens here and
/// nowhere else, so spans, metrics and the access log stay consistent.
/// </summary>
internal sealed partial class InvocationTelemetry(ILogger<InvocationTelemetry> logger)
{
    /// <summary>Starts observing the invocation of <paramref name="functionName"/> for this request.</summary>
    public InvocationScope StartInvocation(HttpContext context, string functionName)
    {
        var activity = GatewayDiagnostics.Source.StartActivity($"invoke {functionName}", ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("faas.trigger", "http");
            activity.SetTag("faas.invoked_name", functionName);
            activity.SetTag("faas.invocation_id", context.TraceIdentifier);
        }

        return new InvocationScope(this, context, functionName, activity, Stopwatch.GetTimestamp());
    }

    /// <summary>Records a request the gateway answered without invoking a function (404, 4xx, 500).</summary>
    public void RecordUnroutedRequest(HttpContext context, InvocationOutcome outcome) =>
        WriteAccessLog(context, "", "", outcome, Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp()));

    internal void Completed(InvocationScope scope, InvocationOutcome outcome, int statusCode)
    {
        var elapsed = Stopwatch.GetElapsedTime(scope.StartTimestamp);
        if (scope.Activity is { } activity)
        {
            activity.SetTag("http.response.status_code", statusCode);
            if (outcome != InvocationOutcome.Success)
            {
                activity.SetTag("error.type", outcome.ToString());
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }

        WriteAccessLog(scope.Context, scope.FunctionName, scope.Destination?.DestinationId ?? "", outcome, elapsed);
    }

    private void WriteAccessLog(HttpContext context, string functionName, string destination, InvocationOutcome outcome, TimeSpan elapsed)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var request = context.Request;
        Log.Access(logger, request.Method, request.Host.Value ?? "", request.Path.Value ?? "", functionName, destination,
            context.Response.StatusCode, outcome, elapsed.TotalMilliseconds, context.TraceIdentifier);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.AccessLog, LogLevel.Information,
            "{Method} {Host}{Path} function={FunctionName} destination={Destination} status={StatusCode} outcome={Outcome} durationMs={DurationMs} requestId={RequestId}")]
        public static partial void Access(ILogger logger, string method, string host, string path, string functionName, string destination,
            int statusCode, InvocationOutcome outcome, double durationMs, string requestId);
    }
}
