using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>
/// The waits of one function's queue for the invocations an instance runs now to end, not those it is given later
/// (<see cref="FunctionInstanceQueue.WhenRunningNowEnded"/>). Not thread-safe: its queue's lock guards it.
/// </summary>
/// <remarks>
/// Each drain is numbered, and each slot taken or handed over carries the count of drains begun at its moment
/// (<see cref="Begun"/>), so a drain knows the invocations that ran before it began from those that came after.
/// </remarks>
internal sealed class InstanceDrains
{
    private readonly List<Drain> _drains = [];

    /// <summary>Counts the drains begun: the number a slot taken now carries.</summary>
    public long Begun { get; private set; }

    /// <summary>True while a drain waits: only then does an invocation's end count down.</summary>
    public bool AnyWaiting => _drains.Count > 0;

    /// <summary>Begins a drain of the <paramref name="running"/> (at least one) invocations <paramref name="destination"/> runs now.</summary>
    public Task Begin(DestinationState destination, int running)
    {
        // Completed under the lock: its continuations run elsewhere.
        var drain = new Drain(destination, ++Begun, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)) { Running = running };
        _drains.Add(drain);
        return drain.Ended.Task;
    }

    /// <summary>An invocation on <paramref name="destination"/> ended: each drain begun after it took its slot has one fewer to wait for.</summary>
    public void EndedBeforeDrains(DestinationState destination, long drainsBegunAtItsTake)
    {
        for (var i = _drains.Count - 1; i >= 0; i--)
        {
            var drain = _drains[i];
            if (ReferenceEquals(drain.Destination, destination) && drainsBegunAtItsTake < drain.Number && --drain.Running == 0)
            {
                _drains.RemoveAt(i);
                drain.Ended.SetResult();
            }
        }
    }

    /// <summary>
    /// A wait for the invocations <paramref name="Destination"/> ran when drain <paramref name="Number"/> began to end;
    /// <see cref="Running"/> of them still run.
    /// </summary>
    private sealed record Drain(DestinationState Destination, long Number, TaskCompletionSource Ended)
    {
        public int Running { get; set; }
    }
}
