using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// Runs one invocation of a function whose workers pull (wire contract §13): posts it to a mailbox (the function's, or
/// one launched instance's), where the next poll takes it, and waits for the worker's reply — bounded by the function timeout, which covers the wait for
/// a poll too, and by the client staying connected.
/// </summary>
internal sealed class PullInvoker(RuntimeApiDirectory directory, TimeProvider timeProvider)
{
    /// <param name="request">The invocation; its payload becomes the body of <c>next</c>, the reply goes to its output.</param>
    /// <param name="mailbox">Where the worker that should run it polls.</param>
    /// <param name="maxQueued">How many invocations may wait there for a poll; more are refused with 429.</param>
    /// <param name="clientAborted">Fires when the client goes away.</param>
    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, RuntimeApiMailbox mailbox, int maxQueued, CancellationToken clientAborted)
    {
        var target = request.Target;
        var function = target.Function;
        var invocation = new PulledInvocation(
            request.RequestId, target.FunctionName, function, target.Settings, request.Payload, request.Output, timeProvider.GetUtcNow() + function.Timeout);
        if (!directory.TryAdd(invocation))
        {
            return new(Outcome.InternalError, $"Invocation {request.RequestId} is already in flight.");
        }

        try
        {
            // The timeout starts before the invocation can be taken: it bounds the wait for a poll too.
            var answered = invocation.Result.WaitAsync(function.Timeout, timeProvider, clientAborted);
            if (!mailbox.TryPost(invocation, maxQueued))
            {
                InvocationResult queueFull = new(Outcome.QueueFull, $"No worker of {target.FunctionName} is polling and {function.MaxQueueLength} invocations already wait for one.");
                invocation.Abandon(queueFull, queueFull);
                return queueFull;
            }

            request.Observer?.InstanceChosen(mailbox.Instance);
            try
            {
                return await answered;
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                invocation.Abandon(
                    ex is TimeoutException
                        ? new(Outcome.NoInstance, $"No worker of {target.FunctionName} polled for the invocation within {function.Timeout}.")
                        : new(Outcome.ClientClosed, "The client went away while waiting for a worker to poll."),
                    ex is TimeoutException
                        ? new(Outcome.Timeout, $"Function time out after {function.Timeout}.")
                        : new(Outcome.ClientClosed, "The client closed the connection during the invocation."));
                return await invocation.Result;
            }
        }
        finally
        {
            directory.Remove(invocation);
            mailbox.Forget(invocation);

            // A poll may still be sending the payload: wait for it before the buffers behind it are released.
            await request.Payload.ReadingEnded.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            request.Observer?.WorkerCallEnded();
        }
    }
}
