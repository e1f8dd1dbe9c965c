using System.Diagnostics;
using FcGateway.Diagnostics;
using FcGateway.Dispatch;
using FcGateway.Edge.Telemetry;
using FcGateway.Outcomes;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// Cancels an attempt of an asynchronous invocation that is not on an instance once the gateway stops: at once if it is
/// waiting then, or when it is placed later (after its instance refused it as full, say). One already on an instance
/// is let finish. So is a pulled one a worker's poll took as the stop began, though cancelled: the poll takes it in one
/// compare-and-swap that the cancellation cannot undo, and <see cref="Dispatch.Pull.PullInvoker"/> then lets the worker
/// run it. The attempt's span, when recorded, names the instance as a request's invocation span does; its wait for an
/// instance and its worker call are measured as a request's invocation's are.
/// </summary>
internal sealed class AttemptPlacement(
    string functionName, GatewayMetrics metrics, Activity? span, CancellationTokenSource attempt, CancellationToken stopping) : IInvocationObserver
{
    private volatile bool _onInstance;
    private InvocationTimings _timings;

    public void GatewayStopping()
    {
        if (!_onInstance)
        {
            attempt.Cancel();
        }
    }

    public void InstanceRequested() => _timings.InstanceRequested();

    public void InstanceChosen(DestinationState destination)
    {
        metrics.InstanceWaitEnded(functionName, _timings.InstanceChosen());

        // Named even when cancelled below: a pulled attempt is told of its instance as a worker's poll takes it, and runs.
        if (span is { IsAllDataRequested: true })
        {
            InvocationSpan.SetDestination(span, destination);
        }

        if (stopping.IsCancellationRequested)
        {
            attempt.Cancel();
            return;
        }

        _onInstance = true;
    }

    public void ColdStarted() => span?.SetTag(TelemetryTags.FaasColdStart, true);

    public void WorkerCallEnded() => _timings.WorkerCallEnded();

    /// <summary>Records how the attempt ended, with its worker call's duration and, if no instance took it, its wait.</summary>
    public void Ended(Outcome outcome)
    {
        metrics.InstanceWaitEnded(functionName, _timings.TakeInstanceWait());
        metrics.AsyncAttemptEnded(functionName, outcome, _timings.WorkerDuration);
    }
}
