using System.Diagnostics;
using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// Runs one invocation of a function whose workers pull (wire contract §13): posts it to a mailbox (the function's, or
/// one launched instance's), where the next poll takes it, and waits for the worker's reply — the wait for a poll
/// bounded by the function timeout, the worker's run by the function timeout from the hand-off (its deadline), both by
/// the client staying connected.
/// </summary>
internal sealed class PullInvoker(RuntimeApiDirectory directory, TimeProvider timeProvider)
{
    /// <param name="request">The invocation; its payload becomes the body of <c>next</c>, the reply goes to its output.</param>
    /// <param name="mailbox">Where the worker that should run it polls.</param>
    /// <param name="maxQueued">How many invocations a client waits for may wait there for a poll; more are refused with 429.</param>
    /// <param name="clientAborted">Fires when the client goes away.</param>
    /// <param name="taken">Runs as a poll takes the invocation, before the worker gets it.</param>
    /// <param name="instanceChosenWhenTaken">Whether the request's observer learns its instance as a poll takes it (a function's shared address), not from the caller.</param>
    public async Task<InvocationResult> InvokeAsync(
        InvocationRequest request, RuntimeApiMailbox mailbox, int maxQueued, CancellationToken clientAborted, Action? taken = null, bool instanceChosenWhenTaken = false)
    {
        var target = request.Target;
        var function = target.Function;
        var invocation = new PulledInvocation(
            request.RequestId, target.FunctionName, function, target.Settings, request.Payload, request.Output, timeProvider.GetUtcNow() + function.Timeout,
            traceContext: Activity.Current?.Context ?? default, retryCount: request.RetryCount, handOffClock: timeProvider)
        {
            InvokedQualifier = target.InvokedQualifier,
            ClientContext = request.ClientContext,
            StreamedReply = request.StreamedReply,
            Taken = taken,
            ToldOfTheInstance = instanceChosenWhenTaken ? request.Observer : null,
            InBackground = request.InBackground,
        };
        if (!directory.TryAdd(invocation))
        {
            return new(Outcome.InternalError, $"Invocation {request.RequestId} is already in flight.");
        }

        try
        {
            // Until a poll takes it, it may wait the function timeout; once taken, the worker has the function timeout.
            var wait = invocation.Result.WaitAsync(function.Timeout, timeProvider, clientAborted);
            if (!mailbox.TryPost(invocation, maxQueued))
            {
                InvocationResult queueFull = new(Outcome.QueueFull, $"No worker of {target.FunctionName} is polling, and as many invocations wait for one as may ({maxQueued}).");
                invocation.Abandon(queueFull, queueFull);
                return queueFull;
            }

            while (true)
            {
                try
                {
                    return await wait;
                }
                catch (TimeoutException)
                {
                    // Given up on only if no poll has it, in one compare-and-swap: a poll taking it at this very moment
                    // either fails to (and it is a 503), or has it with its deadline set, which then bounds the wait.
                    var noPoll = NoPollWithin(invocation, mailbox);
                    if (invocation.TryAbandonUndelivered(noPoll))
                    {
                        return noPoll;
                    }

                    var remaining = invocation.Deadline - timeProvider.GetUtcNow();
                    if (invocation.IsDelivered && remaining > TimeSpan.Zero)
                    {
                        // Taken while it waited: its own deadline bounds it now.
                        wait = invocation.Result.WaitAsync(remaining, timeProvider, clientAborted);
                        continue;
                    }

                    invocation.Abandon(noPoll, new(Outcome.Timeout, $"{TimeoutText.For(function.Timeout)}."));
                    return await invocation.Result;
                }
                catch (OperationCanceledException)
                {
                    InvocationResult gone = new(Outcome.ClientClosed, "The client went away during the invocation.");
                    if (invocation.TryAbandonUndelivered(gone))
                    {
                        return gone;
                    }

                    if (request.Abandoned.IsCancellationRequested)
                    {
                        // The gateway can wait no longer (its shutdown time ran out): given up on at once. A reply being
                        // read meanwhile still completes it, and is answered.
                        invocation.Abandon(gone, gone);
                        var last = await invocation.Result;
                        return last.Outcome == Outcome.Success ? last : gone;
                    }

                    if (request.InBackground)
                    {
                        // Nobody waits for it, and its caller stopped waiting for a worker (the gateway began stopping)
                        // as a poll took it: the worker runs it, so it runs on as one pushed to an instance does, until
                        // the worker answers, its deadline passes or the gateway gives up on it (Abandoned).
                        wait = invocation.Result.WaitAsync(Remaining(invocation), timeProvider, request.Abandoned);
                        continue;
                    }

                    // A worker runs it: the instance stays taken until the worker answers or the deadline passes, so that it
                    // is never given more invocations than it may run.
                    return await WaitForTheWorkerAsync(invocation, gone, invocation.Deadline - timeProvider.GetUtcNow());
                }
            }
        }
        finally
        {
            if (invocation.Result is { IsCompletedSuccessfully: true, Result.Outcome: Outcome.Timeout })
            {
                directory.RememberTimedOut(invocation);
            }

            directory.Remove(invocation);
            mailbox.Forget(invocation);

            // A poll may still be sending the payload: wait for it before the buffers behind it are released.
            await invocation.SendingEnded;
            await request.Payload.ReadingEnded.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            request.Observer?.WorkerCallEnded();
        }
    }

    /// <summary>
    /// Why no poll took <paramref name="invocation"/> within the function timeout: no worker polls; or, for one in the
    /// background at a function's shared address, its workers were busy (with invocations clients wait for, which polls
    /// take first), so that it runs again soon, not after a wait meant for a function that has no worker.
    /// </summary>
    private static InvocationResult NoPollWithin(PulledInvocation invocation, RuntimeApiMailbox mailbox) =>
        invocation.InBackground && mailbox.IsShared && mailbox.Workers > 0
            ? new(Outcome.QueueTimeout, $"Every worker of {invocation.FunctionName} was busy for {invocation.Function.Timeout}.")
            : new(Outcome.NoInstance, $"No worker of {invocation.FunctionName} polled for the invocation within {invocation.Function.Timeout}.");

    /// <summary>What is left of a taken invocation's time until its deadline; zero once it has passed.</summary>
    private TimeSpan Remaining(PulledInvocation invocation)
    {
        var remaining = invocation.Deadline - timeProvider.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    private async Task<InvocationResult> WaitForTheWorkerAsync(PulledInvocation invocation, InvocationResult gone, TimeSpan remaining)
    {
        try
        {
            var answered = await invocation.Result.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, timeProvider);
            return answered.Outcome == Outcome.Timeout ? answered : gone;
        }
        catch (TimeoutException)
        {
            InvocationResult timedOut = new(Outcome.Timeout, $"{TimeoutText.For(invocation.Function.Timeout)} (the client had gone).");
            invocation.Abandon(timedOut, timedOut);
            var result = await invocation.Result;
            return result.Outcome == Outcome.Timeout ? result : gone;
        }
    }
}
