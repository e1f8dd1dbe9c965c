using Yarp.ReverseProxy.Model;
using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>
/// The instances of one function: how many invocations each is running, and the invocations waiting for
/// one to become free, served first come, first served — those a client waits for (requests) before those in the
/// background (asynchronous attempts), which wait in a line of their own that <c>MaxQueueLength</c> does not bound. One
/// lock guards them all; it is held only for the bookkeeping, never across I/O.
/// </summary>
/// <remarks>
/// An instance may hold fewer invocations than the function's concurrency: a worker that answers 429 is full (its own
/// limit, e.g. the C# SDK's <c>FC_INSTANCE_CONCURRENCY</c>, is lower), so the queue caps that instance below what it
/// was running when it refused (<see cref="ReportFull"/>) and forgets the cap after <see cref="BusyCapLifetime"/>, in
/// case the worker was only briefly full or came back with a higher limit.
/// The running counts are the gateway's own. YARP's <see cref="DestinationState.ConcurrentRequestCount"/> belongs to
/// YARP's forwarder, which counts the web-mode requests it forwards; it is never written here.
/// </remarks>
internal sealed class FunctionInstanceQueue(TimeProvider timeProvider)
{
    /// <summary>How long an instance stays capped after it answered 429 without refusing again.</summary>
    public static readonly TimeSpan BusyCapLifetime = TimeSpan.FromSeconds(30);

    private readonly object _lock = new();
    private readonly Dictionary<DestinationState, int> _running = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<DestinationState, BusyCap> _busyCaps = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<DestinationState> _removed = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<DestinationState, TaskCompletionSource> _runsNothing = new(ReferenceEqualityComparer.Instance);
    private readonly List<Drain> _drains = [];
    private readonly LinkedList<InstanceWaiter> _clientWaiters = new();
    private readonly LinkedList<InstanceWaiter> _backgroundWaiters = new();
    private int _runningTotal;

    /// <summary>
    /// Slots that invocations no client waits for hold now: each goes to a waiting client's invocation first when it frees,
    /// so as many of those may wait beyond <c>MaxQueueLength</c> (without the background work the slots would be free).
    /// </summary>
    private int _heldInBackground;

    /// <summary>
    /// Counts the drains begun (<see cref="WhenRunningNowEnded"/>): each slot taken or handed over carries the count of
    /// its moment, so a drain knows the invocations that ran before it began from those that came after.
    /// </summary>
    private long _drainsBegun;

    /// <summary>Invocations running on this function's instances now.</summary>
    public int Running => Volatile.Read(ref _runningTotal);

    /// <summary>Invocations waiting for a free instance now.</summary>
    public int Queued
    {
        get
        {
            lock (_lock)
            {
                return _clientWaiters.Count + _backgroundWaiters.Count;
            }
        }
    }

    /// <summary>Takes a free candidate (chosen by <paramref name="picker"/>, else the least loaded) or joins the queue.</summary>
    /// <returns>The lease, a waiter to await, or the refusal.</returns>
    /// <param name="cluster">The function's cluster.</param>
    /// <param name="candidates">The instances it may take now.</param>
    /// <param name="concurrency">Invocations one instance may run.</param>
    /// <param name="maxQueueLength">Invocations a client waits for that may wait, beyond one for each slot that an invocation in
    /// the background holds.</param>
    /// <param name="picker">How to choose among free instances; null for the least loaded.</param>
    /// <param name="anyInstance">Set when a queued invocation may take any instance of the function it accepts, including
    /// ones started after it queued (instances the gateway launches); null to wait for one of <paramref name="candidates"/>.</param>
    /// <param name="inBackground">True for an invocation no client waits for: it waits behind every other, and is never refused as queue full.</param>
    public (InstanceLease? Lease, InstanceWaiter? Waiter, Outcome Status) TryAcquire(
        ClusterState cluster, IReadOnlyList<DestinationState> candidates, int concurrency, int maxQueueLength, IInstancePicker? picker,
        Func<DestinationState, bool>? anyInstance = null, bool inBackground = false)
    {
        lock (_lock)
        {
            // Room that appeared without a release (a cap that expired, an instance added) goes to the clients' waiters,
            // then to a newcomer a client waits for, and only then to the background line.
            ServeWaiters(_clientWaiters, cluster, candidates, concurrency);
            var lease = inBackground ? null : TakeFree(_clientWaiters.Count, cluster, candidates, concurrency, picker, inBackground: false);
            ServeWaiters(_backgroundWaiters, cluster, candidates, concurrency);
            if (inBackground)
            {
                lease = TakeFree(_clientWaiters.Count + _backgroundWaiters.Count, cluster, candidates, concurrency, picker, inBackground: true);
            }

            if (lease is not null)
            {
                return (lease, null, Outcome.Success);
            }

            if (!inBackground && _clientWaiters.Count >= (long)maxQueueLength + _heldInBackground)
            {
                return (null, null, Outcome.QueueFull);
            }

            var waiter = new InstanceWaiter(anyInstance is null ? candidates : null, picker, anyInstance, inBackground);
            waiter.Node = (inBackground ? _backgroundWaiters : _clientWaiters).AddLast(waiter);
            return (null, waiter, Outcome.Success);
        }
    }

    /// <summary>Takes a free candidate for a newcomer, unless <paramref name="waitingAhead"/> waiters come before it. Caller holds the lock.</summary>
    private InstanceLease? TakeFree(
        int waitingAhead, ClusterState cluster, IReadOnlyList<DestinationState> candidates, int concurrency, IInstancePicker? picker, bool inBackground)
    {
        if (waitingAhead > 0 || PickFree(cluster, candidates, concurrency, picker) is not { } free)
        {
            return null;
        }

        Take(free, inBackground);
        return new InstanceLease(this, free, _drainsBegun, inBackground);
    }

    /// <summary>
    /// Removes a waiter that stopped waiting; false when it was granted an instance meanwhile, which the
    /// caller then owns.
    /// </summary>
    public bool TryLeave(InstanceWaiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is not { } line)
            {
                return false;
            }

            line.Remove(waiter.Node);
            return true;
        }
    }

    /// <summary>The lease of the instance granted to <paramref name="waiter"/>.</summary>
    public InstanceLease LeaseFor(InstanceWaiter waiter) => new(this, waiter.Granted.Result, waiter.GrantedAfterDrains, waiter.InBackground);

    /// <summary>
    /// Frees a slot on <paramref name="destination"/>, taken when <paramref name="drainsBegun"/> drains had begun, handing
    /// it straight to the first waiter that can use it, in the background line only when no client's waiter can;
    /// <paramref name="inBackground"/> when an invocation no client waits for held it.
    /// </summary>
    public void Release(DestinationState destination, long drainsBegun, bool inBackground)
    {
        lock (_lock)
        {
            if (inBackground)
            {
                _heldInBackground--;
            }

            if (_drains.Count > 0)
            {
                EndedBeforeDrains(destination, drainsBegun);
            }

            if (IsRemoved(destination) || RunningOn(destination) > LimitOf(destination, int.MaxValue))
            {
                Put(destination);
                return;
            }

            if (!HandedOver(_clientWaiters, destination) && !HandedOver(_backgroundWaiters, destination))
            {
                Put(destination);
            }
        }
    }

    /// <summary>Hands a freed slot on <paramref name="destination"/> to the first waiter in <paramref name="line"/> that takes it. Caller holds the lock.</summary>
    private bool HandedOver(LinkedList<InstanceWaiter> line, DestinationState destination)
    {
        for (var node = line.First; node is not null;)
        {
            var next = node.Next;
            var waiter = node.Value;
            if (waiter.Accepts(destination))
            {
                line.Remove(node);
                if (Granted(waiter, destination))
                {
                    return true;
                }
            }

            node = next;
        }

        return false;
    }

    /// <summary>An instance was added to <paramref name="instances"/>: the queue takes it at once.</summary>
    public void InstancesAdded(ClusterState cluster, IReadOnlyList<DestinationState> instances, int concurrency)
    {
        lock (_lock)
        {
            ServeWaiters(cluster, instances, concurrency);
        }
    }

    /// <summary>
    /// <paramref name="destination"/> takes no more invocations (its process is stopping or gone): the slots its running
    /// invocations free go to no waiter, which would only find it gone. Whoever is given it all the same (from a list of
    /// instances read before) has to turn it down.
    /// </summary>
    public void InstanceRemoved(DestinationState destination)
    {
        lock (_lock)
        {
            // Remembered only while it runs something: a slot it frees later is the only way back to it.
            if (RunningOn(destination) > 0)
            {
                _removed.Add(destination);
            }
        }
    }

    /// <summary>Ends every queued invocation's wait with <paramref name="outcome"/>, in its usual words: the instance they wait for will not come.</summary>
    public void FailWaiters(Outcome outcome) => FailWaiters(new InvocationResult(outcome, ""));

    /// <summary>Ends every queued invocation's wait with <paramref name="failure"/>, what the instance said of itself: the instance they wait for will not come.</summary>
    public void FailWaiters(InvocationResult failure)
    {
        lock (_lock)
        {
            foreach (var waiter in _clientWaiters.Concat(_backgroundWaiters))
            {
                waiter.Fail(failure);
            }

            _clientWaiters.Clear();
            _backgroundWaiters.Clear();
        }
    }

    /// <summary>True when none of <paramref name="instances"/> has room for one more invocation (or there is none).</summary>
    public bool IsSaturated(IReadOnlyList<DestinationState> instances, int concurrency)
    {
        lock (_lock)
        {
            foreach (var instance in instances)
            {
                if (HasRoom(instance, concurrency))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Invocations running on <paramref name="destination"/> now.</summary>
    public int RunningOnInstance(DestinationState destination)
    {
        lock (_lock)
        {
            return RunningOn(destination);
        }
    }

    /// <summary>
    /// Completes once <paramref name="destination"/> runs no invocation of the function (at once when it runs none now): for
    /// an instance a reload removed, whose invocations in flight (and any it is handed by invocations that chose it before
    /// the reload) finish first. Only reloads ask, so an invocation's release pays for it with one count check, and only
    /// when its instance comes to run nothing.
    /// </summary>
    public Task WhenRunsNothing(DestinationState destination)
    {
        lock (_lock)
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
    }

    /// <summary>
    /// Completes once the invocations <paramref name="destination"/> runs now have ended (at once when it runs none), not
    /// waiting for those it is given later: for the old address of a destination a reload moved to another, where its
    /// invocations in flight finish while the later ones run at the new address. Only reloads ask, so an invocation's
    /// release pays for it with one count check while no drain waits.
    /// </summary>
    public Task WhenRunningNowEnded(DestinationState destination)
    {
        lock (_lock)
        {
            var running = RunningOn(destination);
            if (running == 0)
            {
                return Task.CompletedTask;
            }

            // Completed under the lock: its continuations run elsewhere.
            var drain = new Drain(destination, ++_drainsBegun, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)) { Running = running };
            _drains.Add(drain);
            return drain.Ended.Task;
        }
    }

    /// <summary>An invocation on <paramref name="destination"/> ended: each drain begun after it took its slot has one fewer to wait for.</summary>
    private void EndedBeforeDrains(DestinationState destination, long drainsBegunAtItsTake)
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
    /// Grants free capacity to waiters, oldest first (the background line after the clients'): capacity that appears
    /// without a release (instances added by a reload) serves the queue at once. Caller holds the lock.
    /// </summary>
    private void ServeWaiters(ClusterState cluster, IReadOnlyList<DestinationState> instances, int concurrency)
    {
        ServeWaiters(_clientWaiters, cluster, instances, concurrency);
        ServeWaiters(_backgroundWaiters, cluster, instances, concurrency);
    }

    /// <summary>Grants free capacity to the waiters in <paramref name="line"/>, oldest first, before a newcomer may take any. Caller holds the lock.</summary>
    /// <remarks>
    /// A list of instances found without room is not searched again for the waiters after that choose among the same
    /// list (most do: the function's instances, or the candidates of one moment), so that a long background line costs a
    /// reference comparison per waiter, not a search of every instance.
    /// </remarks>
    private void ServeWaiters(LinkedList<InstanceWaiter> line, ClusterState cluster, IReadOnlyList<DestinationState> instances, int concurrency)
    {
        IReadOnlyList<DestinationState>? full = null;
        for (var node = line.First; node is not null;)
        {
            var next = node.Next;
            var choice = node.Value.Candidates ?? instances;
            if (!ReferenceEquals(choice, full))
            {
                // The instances are of one kind: one that a waiter for any instance does not accept, none of them is.
                if (PickFree(cluster, choice, concurrency, node.Value.Picker) is not { } free)
                {
                    full = choice;
                }
                else if (node.Value.Accepts(free))
                {
                    line.Remove(node);
                    Take(free);
                    if (!Granted(node.Value, free))
                    {
                        Put(free);
                    }
                }
            }

            node = next;
        }
    }

    private DestinationState? PickFree(ClusterState cluster, IReadOnlyList<DestinationState> candidates, int concurrency, IInstancePicker? picker)
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

    /// <summary>
    /// Records that <paramref name="destination"/> refused an invocation as full while the caller still holds its lease:
    /// from now on it is given at most one invocation fewer than it was running, never less than one.
    /// </summary>
    /// <returns>True when it ran none of this gateway's invocations but the caller's: it is full of someone else's.</returns>
    public bool ReportFull(DestinationState destination)
    {
        lock (_lock)
        {
            var running = RunningOn(destination);
            var cap = Math.Max(1, running - 1);
            if (_busyCaps.TryGetValue(destination, out var known) && !IsExpired(known))
            {
                cap = Math.Min(cap, known.Limit);
            }

            _busyCaps[destination] = new BusyCap(cap, timeProvider.GetTimestamp());
            return running <= 1;
        }
    }

    private bool HasRoom(DestinationState destination, int concurrency) => RunningOn(destination) < LimitOf(destination, concurrency) && !IsRemoved(destination);

    private bool IsRemoved(DestinationState destination) => _removed.Count > 0 && _removed.Contains(destination);

    /// <summary>The function's concurrency, or less while the instance is capped. Caller holds the lock.</summary>
    private int LimitOf(DestinationState destination, int concurrency)
    {
        if (_busyCaps.Count == 0 || !_busyCaps.TryGetValue(destination, out var cap))
        {
            return concurrency;
        }

        if (IsExpired(cap))
        {
            _busyCaps.Remove(destination);
            return concurrency;
        }

        return Math.Min(concurrency, cap.Limit);
    }

    private bool IsExpired(BusyCap cap) => timeProvider.GetElapsedTime(cap.SinceTimestamp) >= BusyCapLifetime;

    private int RunningOn(DestinationState destination) => _running.GetValueOrDefault(destination);

    private void Take(DestinationState destination)
    {
        _running[destination] = RunningOn(destination) + 1;
        _runningTotal++;
    }

    /// <summary>Takes a slot on <paramref name="destination"/> for an invocation that did not wait. Caller holds the lock.</summary>
    private void Take(DestinationState destination, bool inBackground)
    {
        Take(destination);
        if (inBackground)
        {
            _heldInBackground++;
        }
    }

    /// <summary>Hands a taken slot on <paramref name="destination"/> to <paramref name="waiter"/>; false when it gave up. Caller holds the lock.</summary>
    private bool Granted(InstanceWaiter waiter, DestinationState destination)
    {
        if (!waiter.TryGrant(destination, _drainsBegun))
        {
            return false;
        }

        if (waiter.InBackground)
        {
            _heldInBackground++;
        }

        return true;
    }

    private void Put(DestinationState destination)
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

    /// <summary>
    /// A wait for the invocations <paramref name="Destination"/> ran when drain <paramref name="Number"/> began to end;
    /// <see cref="Running"/> of them still run.
    /// </summary>
    private sealed record Drain(DestinationState Destination, long Number, TaskCompletionSource Ended)
    {
        public int Running { get; set; }
    }

    /// <summary>At most <paramref name="Limit"/> invocations on an instance that answered 429, since <paramref name="SinceTimestamp"/>.</summary>
    private readonly record struct BusyCap(int Limit, long SinceTimestamp);
}
