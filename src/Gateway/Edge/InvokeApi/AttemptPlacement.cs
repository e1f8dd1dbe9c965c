using FcGateway.Dispatch;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// Cancels an attempt of an asynchronous invocation that is not on an instance once the gateway stops: at once if it is
/// waiting then, or when it is placed later (after its instance refused it as full, say). One already on an instance
/// is let finish.
/// </summary>
internal sealed class AttemptPlacement(CancellationTokenSource attempt, CancellationToken stopping) : IInvocationObserver
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
    }

    public void ColdStarted()
    {
    }

    public void WorkerCallEnded()
    {
    }
}
