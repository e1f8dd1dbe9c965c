using System.Diagnostics;

namespace FcGateway.Edge.Telemetry;

/// <summary>
/// When an invocation asked for an instance and how long its worker call took, as an
/// <see cref="Dispatch.IInvocationObserver"/> is told them. The wait for an instance is taken once: when one is granted,
/// or when the invocation ends without one. An invocation that went back to wait for another instance (its first
/// refused it as full) is timed on the one that ran it.
/// </summary>
internal struct InvocationTimings
{
    private long _instanceRequestedTimestamp;
    private long _workerStartTimestamp;
    private long _workerEndTimestamp;

    /// <summary>How long the worker call took, once it ended.</summary>
    public readonly TimeSpan? WorkerDuration =>
        _workerEndTimestamp == 0 ? null : Stopwatch.GetElapsedTime(_workerStartTimestamp, _workerEndTimestamp);

    public void InstanceRequested() => _instanceRequestedTimestamp = Stopwatch.GetTimestamp();

    /// <summary>The worker call starts now.</summary>
    /// <returns>The wait for the instance, unless it was taken already.</returns>
    public TimeSpan? InstanceChosen()
    {
        _workerStartTimestamp = Stopwatch.GetTimestamp();
        _workerEndTimestamp = 0;
        return TakeInstanceWait(_workerStartTimestamp);
    }

    public void WorkerCallEnded()
    {
        if (_workerStartTimestamp != 0 && _workerEndTimestamp == 0)
        {
            _workerEndTimestamp = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>The wait for an instance until now, once; null when it was taken already or never began.</summary>
    public TimeSpan? TakeInstanceWait() => TakeInstanceWait(Stopwatch.GetTimestamp());

    private TimeSpan? TakeInstanceWait(long now)
    {
        if (_instanceRequestedTimestamp == 0)
        {
            return null;
        }

        var waited = Stopwatch.GetElapsedTime(_instanceRequestedTimestamp, now);
        _instanceRequestedTimestamp = 0;
        return waited;
    }
}
