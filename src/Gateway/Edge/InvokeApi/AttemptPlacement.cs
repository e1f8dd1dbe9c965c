using System.Diagnostics;
using FcGateway.Diagnostics;
using FcGateway.Dispatch;
using FcGateway.Edge.Telemetry;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// Cancels an attempt of an asynchronous invocation that is not on an instance once the gateway stops: at once if it is
/// waiting then, or when it is placed later (after its instance refused it as full, say). One already on an instance
/// is let finish. The attempt's span, when recorded, names the instance as a request's invocation span does.
/// </summary>
internal sealed class AttemptPlacement(Activity? span, CancellationTokenSource attempt, CancellationToken stopping) : IInvocationObserver
{
    private volatile bool _onInstance;

    public void GatewayStopping()
    {
        if (!_onInstance)
        {
            attempt.Cancel();
        }
    }

    public void InstanceRequested()
    {
    }

    public void InstanceChosen(DestinationState destination)
    {
        if (stopping.IsCancellationRequested)
        {
            attempt.Cancel();
            return;
        }

        _onInstance = true;
        if (span is { IsAllDataRequested: true })
        {
            InvocationSpan.SetDestination(span, destination);
        }
    }

    public void ColdStarted() => span?.SetTag(TelemetryTags.FaasColdStart, true);

    public void WorkerCallEnded()
    {
    }
}
