using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>
/// How many invocations each instance of one function runs, and whether it has room for one more: fewer than the
/// function's concurrency, or than its cap after a 429 (<see cref="BusyCaps"/>), and none once it was removed. Not
/// thread-safe: its queue's lock guards it (all but <see cref="Total"/>).
/// </summary>
/// <remarks>
/// The running counts are the gateway's own. YARP's <see cref="DestinationState.ConcurrentRequestCount"/> belongs to
/// YARP's forwarder, which counts the web-mode requests it forwards; it is never written here.
/// </remarks>
internal sealed class InstanceSlots(TimeProvider timeProvider)
{
    private readonly Dictionary<DestinationState, int> _running = new(ReferenceEqualityComparer.Instance);
    private readonly BusyCaps _busyCaps = new(timeProvider);
    private readonly HashSet<DestinationState> _removed = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<DestinationState, TaskCompletionSource> _runsNothing = new(ReferenceEqualityComparer.Instance);
    private int _runningTotal;

    /// <summary>Invocations running on the function's instances now; read without the lock.</summary>
    public int Total => Volatile.Read(ref _runningTotal);

    public int RunningOn(DestinationState destination) => _running.GetValueOrDefault(destination);

    public bool HasRoom(DestinationState destination, int concurrency) => RunningOn(destination) < _busyCaps.LimitOf(destination, concurrency) && !IsRemoved(destination);

    /// <summary>True when a slot <paramref name="destination"/> frees may go to no waiter: it was removed, or runs more than its cap.</summary>
    public bool IsOverLimit(DestinationState destination) => IsRemoved(destination) || RunningOn(destination) > _busyCaps.LimitOf(destination, int.MaxValue);

    /// <summary><paramref name="destination"/> takes no more invocations; see <see cref="FunctionInstanceQueue.InstanceRemoved"/>.</summary>
    public void Remove(DestinationState destination)
    {
        // Remembered only while it runs something: a slot it frees later is the only way back to it.
        if (RunningOn(destination) > 0)
        {
            _removed.Add(destination);
        }
    }

    /// <summary><paramref name="destination"/> takes invocations again; see <see cref="FunctionInstanceQueue.InstanceRestored"/>.</summary>
    public void Restore(DestinationState destination) => _removed.Remove(destination);

    /// <summary>Caps <paramref name="destination"/>, which refused an invocation as full; see <see cref="FunctionInstanceQueue.ReportFull"/>.</summary>
    /// <returns>True when it ran none of this gateway's invocations but the caller's.</returns>
    public bool ReportFull(DestinationState destination)
    {
        var running = RunningOn(destination);
        _busyCaps.Lower(destination, running);
        return running <= 1;
    }

    /// <summary>Completes once <paramref name="destination"/> runs nothing; see <see cref="FunctionInstanceQueue.WhenRunsNothing"/>.</summary>
    public Task WhenRunsNothing(DestinationState destination)
    {
        if (RunningOn(destination) == 0)
        {
            return Task.CompletedTask;
        }

        if (!_runsNothing.TryGetValue(destination, out var idle))
        {
            // Completed under the lock: its continuations run elsewhere.
            _runsNothing[destination] = idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return idle.Task;
    }

    /// <summary>A candidate with room, chosen by <paramref name="picker"/> (else the least loaded) when several have; null when none has.</summary>
    public DestinationState? PickFree(ClusterState cluster, IReadOnlyList<DestinationState> candidates, int concurrency, IInstancePicker? picker)
    {
        if (candidates.Count == 1)
        {
            return HasRoom(candidates[0], concurrency) ? candidates[0] : null;
        }

        List<DestinationState>? free = null;
        foreach (var candidate in candidates)
        {
            if (HasRoom(candidate, concurrency))
            {
                (free ??= new List<DestinationState>(candidates.Count)).Add(candidate);
            }
        }

        return free switch
        {
            null => null,
            [var only] => only,
            _ => picker?.Pick(cluster, free) ?? LeastLoaded(free),
        };
    }

    public void Take(DestinationState destination)
    {
        _running[destination] = RunningOn(destination) + 1;
        _runningTotal++;
    }

    /// <summary>Frees a slot on <paramref name="destination"/>; the last one ends the waits for it to run nothing.</summary>
    public void Put(DestinationState destination)
    {
        var running = RunningOn(destination) - 1;
        if (running <= 0)
        {
            _running.Remove(destination);
            _removed.Remove(destination);
            if (_runsNothing.Count > 0 && _runsNothing.Remove(destination, out var idle))
            {
                idle.SetResult();
            }
        }
        else
        {
            _running[destination] = running;
        }

        _runningTotal--;
    }

    /// <summary>Dispatch's own choice when no caller chooses: the instance running the fewest invocations, first on ties.</summary>
    private DestinationState LeastLoaded(List<DestinationState> free)
    {
        var least = free[0];
        for (var i = 1; i < free.Count; i++)
        {
            if (RunningOn(free[i]) < RunningOn(least))
            {
                least = free[i];
            }
        }

        return least;
    }

    private bool IsRemoved(DestinationState destination) => _removed.Count > 0 && _removed.Contains(destination);
}
