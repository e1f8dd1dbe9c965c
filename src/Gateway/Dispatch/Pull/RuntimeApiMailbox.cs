using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// One runtime API address workers poll (<c>/functions/{name}</c>, or one launched instance's
/// <c>/functions/{name}/instances/{id}</c>): invocations waiting for a poll meet polls waiting for an invocation, first
/// come, first served (those in the background after every client's: <see cref="PulledInvocation.InBackground"/>);
/// invocations handed out are kept until they end, so an instance that dies fails them at once. One lock guards the
/// lists; it is never held across I/O.
/// </summary>
internal sealed class RuntimeApiMailbox(string functionName, string instanceId = RuntimeApiMailbox.SharedInstanceId)
{
    /// <summary>What telemetry calls the workers that share a function's address.</summary>
    public const string SharedInstanceId = "runtime-api";

    /// <summary>How the address of every instance of a pulled function starts: no worker's address does.</summary>
    private const string AddressScheme = "runtime-api:";

    private readonly object _lock = new();
    private readonly LinkedList<PulledInvocation> _clientInvocations = new();
    private readonly LinkedList<PulledInvocation> _backgroundInvocations = new();
    private readonly LinkedList<TaskCompletionSource<PulledInvocation>> _polls = new();
    private readonly HashSet<PulledInvocation> _delivered = [];
    private readonly TaskCompletionSource _firstPoll = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<InvocationResult> _initFailed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _pollsEnded;

    /// <summary>
    /// Invocations no client waits for among those handed out: the worker running each polls for a client's invocation
    /// first once it answers, so as many of those may wait beyond the function's queue (without the background work the
    /// workers would be polling).
    /// </summary>
    private int _deliveredInBackground;

    /// <summary>
    /// What an invocation that reaches this address once it is gone ends with: its instance exited (<see cref="FailAll"/>),
    /// or an edit stopped its function pulling (<see cref="Retire"/>); no poll will take it.
    /// </summary>
    private InvocationResult? _gone;

    /// <summary>What telemetry names as the instance: every worker polling this address, as one.</summary>
    public DestinationState Instance { get; } = new(
        instanceId, new DestinationModel(new DestinationConfig { Address = $"{AddressScheme}/functions/{functionName}/instances/{instanceId}" }));

    /// <summary>Whether <paramref name="destination"/> is an instance of a pulled function, not a worker invocations are pushed to.</summary>
    public static bool IsInstance(DestinationState destination) =>
        destination.Model.Config.Address.StartsWith(AddressScheme, StringComparison.Ordinal);

    /// <summary>Whether this is a function's shared address (its workers started elsewhere), not a launched instance's.</summary>
    public bool IsShared => instanceId == SharedInstanceId;

    /// <summary>Completes when a worker first polls: a launched instance is up.</summary>
    public Task FirstPoll => _firstPoll.Task;

    /// <summary>Completes when a worker here reported that it failed to initialize (Lambda's <c>init/error</c>), with that failure.</summary>
    public Task<InvocationResult> InitFailed => _initFailed.Task;

    /// <summary>The function's stand-in for a YARP cluster: pull functions have none, and their workers are no destinations.</summary>
    public ClusterState Cluster { get; } = new($"runtime-api:{functionName}");

    /// <summary>Invocations waiting for a poll now.</summary>
    public int QueuedInvocations
    {
        get
        {
            lock (_lock)
            {
                return _clientInvocations.Count + _backgroundInvocations.Count;
            }
        }
    }

    /// <summary>Workers known to be there now: polls waiting, and invocations handed out and not yet answered.</summary>
    public int Workers
    {
        get
        {
            lock (_lock)
            {
                return _polls.Count + _delivered.Count;
            }
        }
    }

    /// <summary>Invocations a poll took here that have not ended yet: the worker runs them (or has just answered).</summary>
    public int HandedOut
    {
        get
        {
            lock (_lock)
            {
                return _delivered.Count;
            }
        }
    }

    /// <summary>Polls waiting for an invocation now.</summary>
    public int WaitingPolls
    {
        get
        {
            lock (_lock)
            {
                return _polls.Count;
            }
        }
    }

    /// <summary>
    /// Hands <paramref name="invocation"/> to a waiting poll, or queues it; false when <paramref name="maxQueued"/> invocations
    /// a client waits for already wait beyond one for each invocation in the background that a worker runs (one in the
    /// background always queues, behind them).
    /// </summary>
    public bool TryPost(PulledInvocation invocation, int maxQueued)
    {
        lock (_lock)
        {
            if (EndedAsGone(invocation) || HandedToAPoll(invocation))
            {
                return true;
            }

            if (!invocation.InBackground && _clientInvocations.Count >= (long)maxQueued + _deliveredInBackground)
            {
                return false;
            }

            LineOf(invocation).AddLast(invocation.WaitingNode);
            return true;
        }
    }

    private LinkedList<PulledInvocation> LineOf(PulledInvocation invocation) => invocation.InBackground ? _backgroundInvocations : _clientInvocations;

    private void Requeue(PulledInvocation invocation)
    {
        lock (_lock)
        {
            if (!EndedAsGone(invocation) && !HandedToAPoll(invocation))
            {
                LineOf(invocation).AddFirst(invocation.WaitingNode);
            }
        }
    }

    /// <summary>Hands <paramref name="invocation"/> to the first poll still waiting; false when none is. Caller holds the lock.</summary>
    private bool HandedToAPoll(PulledInvocation invocation)
    {
        while (_polls.First is { } poll)
        {
            _polls.RemoveFirst();
            if (poll.Value.TrySetResult(invocation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Ends an invocation no poll has taken when the address is gone: it came after <see cref="FailAll"/> (a dispatch that
    /// chose the instance just before it exited) or <see cref="Retire"/>, so it never reached a worker, and another may
    /// run it. False while the address is in use. Caller holds the lock.
    /// </summary>
    private bool EndedAsGone(PulledInvocation invocation)
    {
        if (_gone is not { } gone)
        {
            return false;
        }

        invocation.TryAbandonUndelivered(gone);
        return true;
    }

    /// <summary>Empties both lines of invocations waiting for a poll. Caller holds the lock.</summary>
    private PulledInvocation[] TakeWaiting()
    {
        PulledInvocation[] waiting = [.. _clientInvocations, .. _backgroundInvocations];
        _clientInvocations.Clear();
        _backgroundInvocations.Clear();
        return waiting;
    }

    /// <summary>Forgets an invocation that ended, whether a poll took it or not.</summary>
    public void Forget(PulledInvocation invocation)
    {
        lock (_lock)
        {
            invocation.WaitingIn?.Remove(invocation.WaitingNode);
            if (_delivered.Remove(invocation) && invocation.InBackground)
            {
                _deliveredInBackground--;
            }
        }
    }

    /// <summary>
    /// Ends every invocation here: the instance is gone. One handed out ends with <paramref name="delivered"/>; one no poll
    /// took never reached the instance, and ends with <paramref name="undelivered"/>, as does any that comes later.
    /// Returns how many handed out it ended: the invocations the instance was running. One answered and not yet forgotten
    /// (its caller had not run on yet) is not among them.
    /// </summary>
    public int FailAll(InvocationResult undelivered, InvocationResult delivered)
    {
        PulledInvocation[] waiting;
        PulledInvocation[] handedOut;
        lock (_lock)
        {
            _gone = undelivered;
            waiting = TakeWaiting();
            handedOut = [.. _delivered];
            _delivered.Clear();
            _deliveredInBackground = 0;
        }

        foreach (var invocation in waiting)
        {
            invocation.Abandon(undelivered, delivered);
        }

        return handedOut.Count(invocation => invocation.Abandon(undelivered, delivered));
    }

    /// <summary>
    /// A worker here failed to initialize: the invocations waiting for a poll fail with <paramref name="failure"/> (none
    /// will come from it), and whoever launched it learns of it through <see cref="InitFailed"/>.
    /// </summary>
    public void ReportInitError(InvocationResult failure)
    {
        _initFailed.TrySetResult(failure);
        PulledInvocation[] waiting;
        lock (_lock)
        {
            waiting = TakeWaiting();
        }

        foreach (var invocation in waiting)
        {
            invocation.TryAbandonUndelivered(failure);
        }
    }

    /// <summary>
    /// The function no longer pulls from this address (an edit removed it, or made it take pushed invocations): the polls
    /// waiting here end, and so do the invocations waiting for a poll, with <paramref name="undelivered"/>, as does any
    /// posted here later, since no worker's poll reaches this address any more. Those handed out finish as any in flight
    /// do, their replies still taken here.
    /// </summary>
    public void Retire(InvocationResult undelivered)
    {
        PulledInvocation[] waiting;
        lock (_lock)
        {
            _gone = undelivered;
            waiting = TakeWaiting();
        }

        foreach (var invocation in waiting)
        {
            invocation.TryAbandonUndelivered(undelivered);
        }

        EndPolls();
    }

    /// <summary>
    /// The runtime API is stopping: the polls waiting here, and every poll from now on that finds no invocation waiting,
    /// are cancelled, so that no worker's poll holds the listener's stop.
    /// </summary>
    public void EndPolls()
    {
        TaskCompletionSource<PulledInvocation>[] waiting;
        lock (_lock)
        {
            _pollsEnded = true;
            waiting = [.. _polls];
            _polls.Clear();
        }

        foreach (var poll in waiting)
        {
            poll.TrySetCanceled();
        }
    }

    /// <summary>The next invocation for a poll: one already waiting, or the next posted; cancelled when the poll goes away or polls have ended (<see cref="EndPolls"/>).</summary>
    public async Task<PulledInvocation> NextAsync(CancellationToken cancellation)
    {
        _firstPoll.TrySetResult();
        while (true)
        {
            var invocation = await TakeAsync(cancellation);
            if (!invocation.TryDeliver())
            {
                continue;
            }

            if (cancellation.IsCancellationRequested && invocation.TryReturn())
            {
                // The poll went away as it was handed the invocation: another waiting poll, or the next one, gets it first.
                Requeue(invocation);
                cancellation.ThrowIfCancellationRequested();
            }

            invocation.DeliveredFrom = this;
            lock (_lock)
            {
                // Handed to this poll as the address went (its instance exited, or an edit retired it): what was here was
                // ended then, and this one, not sent yet, is too.
                if (_gone is not null && invocation.TryReturn() && EndedAsGone(invocation))
                {
                    continue;
                }

                // Given up on meanwhile (and forgotten): keeping it would count a worker that is not there.
                if (!invocation.IsFinished && _delivered.Add(invocation) && invocation.InBackground)
                {
                    _deliveredInBackground++;
                }
            }

            invocation.ToldOfTheInstance?.InstanceChosen(Instance);
            invocation.Taken?.Invoke();
            return invocation;
        }
    }

    private async Task<PulledInvocation> TakeAsync(CancellationToken cancellation)
    {
        TaskCompletionSource<PulledInvocation> poll;
        LinkedListNode<TaskCompletionSource<PulledInvocation>> node;
        lock (_lock)
        {
            if ((_clientInvocations.First ?? _backgroundInvocations.First) is { } waiting)
            {
                waiting.List!.Remove(waiting);
                return waiting.Value;
            }

            if (_pollsEnded)
            {
                throw new OperationCanceledException("The runtime API is stopping.");
            }

            poll = new TaskCompletionSource<PulledInvocation>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _polls.AddLast(poll);
        }

        await using (cancellation.UnsafeRegister(_ => CancelPoll(node), null))
        {
            return await poll.Task;
        }
    }

    private void CancelPoll(LinkedListNode<TaskCompletionSource<PulledInvocation>> node)
    {
        lock (_lock)
        {
            if (node.List is not null)
            {
                _polls.Remove(node);
            }
        }

        node.Value.TrySetCanceled();
    }
}
