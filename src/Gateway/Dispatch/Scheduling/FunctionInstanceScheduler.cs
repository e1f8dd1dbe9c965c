using System.Collections.Concurrent;
using FcGateway.Configuration;
using FcGateway.Outcomes;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>
/// Gives each invocation a worker instance that has room for it: an instance never runs more than the
/// function's <see cref="FunctionSettings.InstanceConcurrency"/> invocations; when all are busy the
/// invocation waits in the function's bounded queue until one frees up, the queue timeout passes, or the
/// caller gives up. Among free instances the caller's <see cref="IInstancePicker"/> chooses, else the least loaded.
/// </summary>
internal sealed class FunctionInstanceScheduler(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, FunctionInstanceQueue> _functions = new(StringComparer.Ordinal);

    /// <summary>The functions seen so far, with their running and queued invocations.</summary>
    public IEnumerable<KeyValuePair<string, FunctionInstanceQueue>> Functions => _functions;

    /// <summary>The queue and running count of <paramref name="functionName"/>.</summary>
    public FunctionInstanceQueue QueueOf(string functionName) =>
        _functions.GetOrAdd(functionName, static (_, clock) => new FunctionInstanceQueue(clock), timeProvider);

    /// <summary>Waits for an instance of <paramref name="functionName"/> among <paramref name="candidates"/> with room.</summary>
    /// <param name="functionName">The function.</param>
    /// <param name="settings">Its concurrency and queue settings.</param>
    /// <param name="cluster">Its cluster.</param>
    /// <param name="candidates">The instances that may serve it.</param>
    /// <param name="picker">How to choose among free instances; null for the least loaded.</param>
    /// <param name="cancellation">Fires when the caller gives up (the client went away).</param>
    /// <param name="anyInstance">
    /// Set to wait for any instance of the function it accepts, including ones not started yet (those the gateway
    /// launches: a pushed worker an edit took away frees slots in the same queue, which are no instance of theirs).
    /// </param>
    /// <param name="maxQueued">How many invocations a client waits for may wait; null for the function's <see cref="FunctionSettings.MaxQueueLength"/>.</param>
    /// <param name="startsEnded">
    /// For a function whose instances the gateway starts: a task that completes once the instances starting now are ready
    /// or given up on, and the stops under way now, which hold the room for another, have ended with the starts that follow. A queue timeout that ends before then waits for it: a cold start in progress serves the invocation
    /// or fails it (<see cref="FunctionInstanceQueue.FailWaiters(InvocationResult)"/>), bounded by its own timeout.
    /// </param>
    /// <param name="inBackground">True for an invocation no client waits for: it waits behind the others, never refused as queue full.</param>
    /// <param name="queueTimeout">How long it may wait; null for the function's <see cref="FunctionSettings.QueueTimeout"/> (one that waited before, what is left of it).</param>
    public async ValueTask<InstanceAcquisition> AcquireAsync(
        string functionName, FunctionSettings settings, ClusterState cluster, IReadOnlyList<DestinationState> candidates,
        IInstancePicker? picker, CancellationToken cancellation, Func<DestinationState, bool>? anyInstance = null, int? maxQueued = null,
        Func<Task>? startsEnded = null, bool inBackground = false, TimeSpan? queueTimeout = null)
    {
        if (candidates.Count == 0 && anyInstance is null)
        {
            return InstanceAcquisition.Failed(Outcome.NoInstance);
        }

        var queue = QueueOf(functionName);
        var (lease, waiter, status) = queue.TryAcquire(cluster, candidates, settings.InstanceConcurrency, maxQueued ?? settings.MaxQueueLength, picker, anyInstance, inBackground);
        if (waiter is null)
        {
            return new InstanceAcquisition(status, lease);
        }

        try
        {
            await GrantedAsync(waiter, queueTimeout ?? settings.QueueTimeout, startsEnded, cancellation);
            return new InstanceAcquisition(Outcome.Success, queue.LeaseFor(waiter));
        }
        catch (InstanceUnavailableException ex)
        {
            return InstanceAcquisition.Failed(ex.Failure);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            // Out of the queue already: it was granted (or failed) under the queue's lock, so its task is complete.
            if (!queue.TryLeave(waiter) && waiter.Granted.IsCompletedSuccessfully)
            {
                // Granted while giving up: the instance is this caller's, so hand it back.
                queue.LeaseFor(waiter).Dispose();
            }

            return InstanceAcquisition.Failed(ex is TimeoutException ? Outcome.QueueTimeout : Outcome.ClientClosed);
        }
    }

    /// <summary>Waits for <paramref name="waiter"/> to be granted an instance within the queue timeout, or later while instances it may get still start.</summary>
    private async Task GrantedAsync(InstanceWaiter waiter, TimeSpan queueTimeout, Func<Task>? startsEnded, CancellationToken cancellation)
    {
        try
        {
            await waiter.Granted.WaitAsync(queueTimeout, timeProvider, cancellation);
        }
        catch (TimeoutException) when (startsEnded is not null)
        {
            // Still in the queue, so a start that ends now (one a stop made room for included) serves it or fails it (when no other instance is coming).
            await Task.WhenAny(waiter.Granted, startsEnded()).WaitAsync(cancellation);
            if (!waiter.Granted.IsCompleted)
            {
                throw;
            }

            await waiter.Granted;
        }
    }
}
