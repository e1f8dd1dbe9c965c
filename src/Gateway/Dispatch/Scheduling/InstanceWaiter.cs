using FcGateway.Outcomes;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>
/// An invocation queued for a free instance among its candidates, or among any of the function's instances that
/// <paramref name="anyInstance"/> accepts (candidates null).
/// </summary>
internal sealed class InstanceWaiter(
    IReadOnlyList<DestinationState>? candidates, IInstancePicker? picker, Func<DestinationState, bool>? anyInstance = null, bool inBackground = false)
{
    private readonly TaskCompletionSource<DestinationState> _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<DestinationState> Granted => _granted.Task;

    /// <summary>The instances it may take; null for any instance of the function, including ones started after it queued.</summary>
    public IReadOnlyList<DestinationState>? Candidates => candidates;

    /// <summary>How this invocation's caller wants free instances chosen, or null for the least loaded.</summary>
    public IInstancePicker? Picker => picker;

    public LinkedListNode<InstanceWaiter>? Node { get; set; }

    /// <summary>True for an invocation no client waits for: the slot it is granted is one a client's invocation may wait for.</summary>
    public bool InBackground => inBackground;

    public bool Accepts(DestinationState destination)
    {
        if (candidates is null)
        {
            return anyInstance?.Invoke(destination) ?? true;
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            if (ReferenceEquals(candidates[i], destination))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Ends the wait without an instance: none will come. The failure counts as observed at once: a caller that gave up in
    /// the same instant (its queue timeout, its client gone) never awaits it, and it must not reach the unobserved-task
    /// handler once collected.
    /// </summary>
    public void Fail(InvocationResult failure)
    {
        if (_granted.TrySetException(new InstanceUnavailableException(failure)))
        {
            _ = _granted.Task.Exception;
        }
    }

    /// <summary>How many drains the queue had begun when it granted the instance (see <see cref="InstanceLease"/>).</summary>
    public long GrantedAfterDrains { get; private set; }

    /// <summary>Hands the instance over, when <paramref name="drainsBegun"/> drains had begun; false when the waiter already gave up.</summary>
    public bool TryGrant(DestinationState destination, long drainsBegun)
    {
        GrantedAfterDrains = drainsBegun;
        return _granted.TrySetResult(destination);
    }
}
