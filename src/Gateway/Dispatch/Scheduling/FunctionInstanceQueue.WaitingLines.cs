using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>How a slot reaches a waiter: served from free room, handed over as it frees, or taken by a newcomer. Caller holds the lock.</summary>
internal sealed partial class FunctionInstanceQueue
{
    /// <summary>Takes a free candidate for a newcomer, unless <paramref name="waitingAhead"/> waiters come before it. Caller holds the lock.</summary>
    private InstanceLease? TakeFree(
        int waitingAhead, ClusterState cluster, IReadOnlyList<DestinationState> candidates, int concurrency, IInstancePicker? picker, bool inBackground)
    {
        if (waitingAhead > 0 || _slots.PickFree(cluster, candidates, concurrency, picker) is not { } free)
        {
            return null;
        }

        Take(free, inBackground);
        return new InstanceLease(this, free, _drains.Begun, inBackground);
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
                if (_slots.PickFree(cluster, choice, concurrency, node.Value.Picker) is not { } free)
                {
                    full = choice;
                }
                else if (node.Value.Accepts(free))
                {
                    line.Remove(node);
                    _slots.Take(free);
                    if (!Granted(node.Value, free))
                    {
                        _slots.Put(free);
                    }
                }
            }

            node = next;
        }
    }

    /// <summary>Takes a slot on <paramref name="destination"/> for an invocation that did not wait. Caller holds the lock.</summary>
    private void Take(DestinationState destination, bool inBackground)
    {
        _slots.Take(destination);
        if (inBackground)
        {
            _heldInBackground++;
        }
    }

    /// <summary>Hands a taken slot on <paramref name="destination"/> to <paramref name="waiter"/>; false when it gave up. Caller holds the lock.</summary>
    private bool Granted(InstanceWaiter waiter, DestinationState destination)
    {
        if (!waiter.TryGrant(destination, _drains.Begun))
        {
            return false;
        }

        if (waiter.InBackground)
        {
            _heldInBackground++;
        }

        return true;
    }
}
