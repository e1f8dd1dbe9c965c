using Yarp.ReverseProxy.Model;
using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>
/// The instances of one function: how many invocations each is running, and the invocations waiting for
/// one to become free, served first come, first served — those a client waits for (requests) before those in the
/// background (asynchronous attempts), which wait in a line of their own that <c>MaxQueueLength</c> does not bound. One
/// lock guards them all; it is held only for the bookkeeping, never across I/O. Its parts are explained in this
/// folder's README.md.
/// </summary>
/// <remarks>
/// An instance may hold fewer invocations than the function's concurrency: a worker that answers 429 is full, so the
/// queue caps that instance below what it was running when it refused (<see cref="ReportFull"/>, <see cref="BusyCaps"/>)
/// and forgets the cap after <see cref="BusyCapLifetime"/>.
/// </remarks>
internal sealed partial class FunctionInstanceQueue(TimeProvider timeProvider)
{
    /// <summary>How long an instance stays capped after it answered 429 without refusing again.</summary>
    public static readonly TimeSpan BusyCapLifetime = TimeSpan.FromSeconds(30);

    private readonly object _lock = new();
    private readonly InstanceSlots _slots = new(timeProvider);
    private readonly InstanceDrains _drains = new();
    private readonly LinkedList<InstanceWaiter> _clientWaiters = new();
    private readonly LinkedList<InstanceWaiter> _backgroundWaiters = new();

    /// <summary>
    /// Slots that invocations no client waits for hold now: each goes to a waiting client's invocation first when it frees,
    /// so as many of those may wait beyond <c>MaxQueueLength</c> (without the background work the slots would be free).
    /// </summary>
    private int _heldInBackground;

    /// <summary>Invocations running on this function's instances now.</summary>
    public int Running => _slots.Total;

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

            if (_drains.AnyWaiting)
            {
                _drains.EndedBeforeDrains(destination, drainsBegun);
            }

            if (_slots.IsOverLimit(destination))
            {
                _slots.Put(destination);
                return;
            }

            if (!HandedOver(_clientWaiters, destination) && !HandedOver(_backgroundWaiters, destination))
            {
                _slots.Put(destination);
            }
        }
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
            _slots.Remove(destination);
        }
    }

    /// <summary>
    /// <paramref name="destination"/>, removed (<see cref="InstanceRemoved"/>) while it still ran something, takes
    /// invocations again: the slots its running invocations free go to waiters as any instance's do. Whoever put it back
    /// offers its room (<see cref="InstancesAdded"/>).
    /// </summary>
    public void InstanceRestored(DestinationState destination)
    {
        lock (_lock)
        {
            _slots.Restore(destination);
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
                if (_slots.HasRoom(instance, concurrency))
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
            return _slots.RunningOn(destination);
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
            return _slots.WhenRunsNothing(destination);
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
            var running = _slots.RunningOn(destination);
            return running == 0 ? Task.CompletedTask : _drains.Begin(destination, running);
        }
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
            return _slots.ReportFull(destination);
        }
    }
}
