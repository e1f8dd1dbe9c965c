using FcGateway.Diagnostics;
using System.Diagnostics;
using FcGateway.Dispatch;
using FcGateway.Outcomes;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.Telemetry;

/// <summary>
/// One invocation being observed: its span, its timings (waiting for an instance, the worker call), and what the
/// metrics and the access log need.
/// <see cref="Complete"/> records the outcome once; disposing stops the span (and, if the invocation path never
/// completed it because of a fault, records it as <see cref="Outcome.InternalError"/> or
/// <see cref="Outcome.ClientClosed"/> so the in-flight count never leaks).
/// </summary>
internal sealed class InvocationScope(InvocationTelemetry telemetry, HttpContext context, string functionName, Activity? activity, long startTimestamp)
    : IDisposable, IInvocationObserver
{
    private bool _completed;
    private InvocationTimings _timings;

    public HttpContext Context { get; } = context;

    public string FunctionName { get; } = functionName;

    public Activity? Activity { get; } = activity;

    public long StartTimestamp { get; } = startTimestamp;

    public DestinationState? Destination { get; private set; }

    /// <summary>The request body's size once read; null until then (the access log falls back to Content-Length).</summary>
    public long? RequestBodyBytes { get; private set; }

    /// <summary>How long the worker call took, once <see cref="WorkerCallEnded"/> was called.</summary>
    public TimeSpan? WorkerDuration => _timings.WorkerDuration;

    /// <summary>
    /// The response body's size as sent — a forwarded web response, a function's output (which a client that went away
    /// in the middle did not take whole) — or null when nothing counted it and the response's Content-Length says it.
    /// </summary>
    public long? ResponseBodyBytes { get; private set; }

    /// <summary>The request body was read: <paramref name="bytes"/> bytes.</summary>
    public void SetRequestBodySize(long bytes) => RequestBodyBytes = bytes;

    /// <summary>The response body was sent: <paramref name="bytes"/> bytes.</summary>
    public void SetResponseBodySize(long bytes) => ResponseBodyBytes = bytes;

    /// <inheritdoc/>
    public void InstanceRequested() => _timings.InstanceRequested();

    /// <inheritdoc/>
    public void InstanceChosen(DestinationState destination)
    {
        Destination = destination;
        telemetry.Metrics.InstanceWaitEnded(FunctionName, _timings.InstanceChosen());
        if (Activity is { IsAllDataRequested: true } activity)
        {
            InvocationSpan.SetDestination(activity, destination);
        }
    }

    /// <inheritdoc/>
    public void ColdStarted() => Activity?.SetTag(TelemetryTags.FaasColdStart, true);

    /// <inheritdoc/>
    public void WorkerCallEnded() => _timings.WorkerCallEnded();

    /// <summary>Records the outcome, the status the client received (499 when it went away) and, for a failure, why.</summary>
    public void Complete(Outcome outcome, int statusCode, string reason = "")
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        telemetry.Metrics.InstanceWaitEnded(FunctionName, _timings.TakeInstanceWait());
        telemetry.Completed(this, outcome, statusCode, reason);
    }

    public void Dispose()
    {
        if (!_completed)
        {
            _completed = true;
            telemetry.Metrics.InstanceWaitEnded(FunctionName, _timings.TakeInstanceWait());
            telemetry.Abandoned(this);
        }

        Activity?.Dispose();
    }
}
