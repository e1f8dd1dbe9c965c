using System.Diagnostics;
using FcGateway.Configuration;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Push;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Outcomes;

namespace FcGateway.Dispatch;

/// <summary>
/// Runs an invocation: waits for an instance with room (<see cref="FunctionInstanceScheduler"/>), hands it to the
/// function's transport (the push transport, <see cref="WorkerInvoker"/>), and frees the instance as soon as the
/// worker has answered. A worker that refuses the invocation as full (429: its own concurrency limit is below the
/// function's) gets fewer invocations from then on, and the invocation waits for an instance again, up to
/// <see cref="MaxFullRefusals"/> times; one full of others' invocations is tried again after a pause, up to the
/// function's <c>QueueTimeout</c>. A function whose workers pull (<see cref="PullInvoker"/>) has its invocations
/// taken by the workers' polls instead. Knows nothing of the client's request; shared by HTTP triggers and the
/// invocation API.
/// </summary>
internal sealed class FunctionDispatcher(
    FunctionInstanceScheduler scheduler, WorkerInvoker invoker, PullInvoker pullInvoker, RuntimeApiDirectory directory, LaunchedInstancePools launched, TimeProvider time)
{
    /// <summary>How many times one invocation may be refused by full instances before it is answered 429.</summary>
    public const int MaxFullRefusals = 3;

    /// <param name="request">The invocation.</param>
    /// <param name="cancellation">Fires when whoever asked for the invocation gives up (the client went away).</param>
    /// <remarks>
    /// Not an async method itself: the transport's task is returned as it is, so an invocation goes through one state
    /// machine less, unless an activity has to be started for it (<see cref="InvocationActivity"/>; started inside the
    /// async method, so that it is current for the invocation only).
    /// </remarks>
    public Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellation) =>
        Activity.Current is null ? InvokeInNewActivityAsync(request, cancellation) : InvokeTransportAsync(request, cancellation);

    private async Task<InvocationResult> InvokeInNewActivityAsync(InvocationRequest request, CancellationToken cancellation)
    {
        using var activity = InvocationActivity.StartIfNoneCurrent();
        return await InvokeTransportAsync(request, cancellation);
    }

    private Task<InvocationResult> InvokeTransportAsync(InvocationRequest request, CancellationToken cancellation)
    {
        var target = request.Target;
        var function = target.Function;
        request.Observer?.InstanceRequested();
        if (function.RuntimeApi is null)
        {
            return InvokePushedAsync(request, cancellation);
        }

        return function.Launch is null ? InvokePulledAsync(request, cancellation) : InvokeLaunchedAsync(request, cancellation);
    }

    /// <summary>
    /// An invocation taken by whichever worker polls the function's address: its wait for a poll is its wait for an
    /// instance, so the instance is chosen, and the worker call starts, when a poll takes it.
    /// </summary>
    private Task<InvocationResult> InvokePulledAsync(InvocationRequest request, CancellationToken cancellation)
    {
        var mailbox = directory.MailboxFor(request.Target);
        return pullInvoker.InvokeAsync(request, mailbox, request.Target.Function.MaxQueueLength, cancellation, instanceChosenWhenTaken: true);
    }

    /// <summary>
    /// An invocation pushed to a worker: an instance with room, and another when it refuses as full. A worker that refuses
    /// while it runs none of this gateway's other invocations is full of someone else's (another replica's): the
    /// invocation waits a moment and tries again, for up to its <c>QueueTimeout</c>, instead of being refused at once.
    /// One whose address refuses the connection never saw the invocation, which goes to another of the candidates
    /// (<see cref="RefusedConnectionRetry"/>); the worker stays in rotation until its health probes fail: one restarted
    /// there is served at once.
    /// </summary>
    private async Task<InvocationResult> InvokePushedAsync(InvocationRequest request, CancellationToken cancellation)
    {
        var target = request.Target;
        var function = target.Function;
        var retry = new RefusedConnectionRetry(request.Candidates, function, time);
        var refusals = 0;
        var othersRefusals = 0;
        long firstRefusal = 0;
        var wait = TimeSpan.Zero;
        while (true)
        {
            if (wait > TimeSpan.Zero)
            {
                if (!await WaitedAsync(wait, cancellation))
                {
                    return new(Outcome.ClientClosed, "The client went away while waiting for an instance.");
                }

                wait = TimeSpan.Zero;
            }

            var acquisition = await scheduler.AcquireAsync(
                target.FunctionName, function, target.Cluster, retry.Candidates, request.Picker, cancellation, inBackground: request.InBackground, queueTimeout: retry.QueueTimeout);
            if (acquisition.Lease is not { } lease)
            {
                return Refused(request, acquisition);
            }

            using (lease)
            {
                request.Observer?.InstanceChosen(lease.Destination);
                var invocation = new FunctionInvocation(
                    request.RequestId, target.FunctionName, function, target.Settings, target.Cluster.Model, lease.Destination, request.RetryCount);
                var result = await invoker.InvokeAsync(invocation, request.Payload, request.Output, request.AbandonedOr(cancellation));
                if (cancellation.IsCancellationRequested && result.Outcome is not Outcome.Timeout)
                {
                    // The worker went on running the invocation its client left, so the instance stayed taken until it
                    // answered, and is never given more than InstanceConcurrency (FC replaces an instance of concurrency 1
                    // whose client cancelled, for the same reason). Its reply is dropped.
                    result = new(Outcome.ClientClosed, "The client closed the connection during the invocation.");
                }
                else if (result.Outcome == Outcome.InstanceBusy)
                {
                    if (scheduler.QueueOf(target.FunctionName).ReportFull(lease.Destination))
                    {
                        firstRefusal = othersRefusals++ == 0 ? time.GetTimestamp() : firstRefusal;
                        wait = FullOfOthersWait(othersRefusals);
                        if (time.GetElapsedTime(firstRefusal) + wait < function.QueueTimeout)
                        {
                            continue;
                        }
                    }
                    else if (refusals++ < MaxFullRefusals)
                    {
                        continue;
                    }
                }
                else if (result.Outcome == Outcome.InstanceGone && retry.TryAnother(lease.Destination))
                {
                    continue;
                }

                request.Observer?.WorkerCallEnded();
                return result with { Destination = lease.Destination };
            }
        }
    }

    /// <summary>The wait before offering an invocation again to workers after its <paramref name="refusals"/>th refusal by one full of others' invocations: 50 ms, doubling, at most a second.</summary>
    private static TimeSpan FullOfOthersWait(int refusals) =>
        TimeSpan.FromMilliseconds(Math.Min(50 << Math.Min(refusals - 1, 5), 1000));

    /// <returns>False when <paramref name="cancellation"/> fired first.</returns>
    private async Task<bool> WaitedAsync(TimeSpan wait, CancellationToken cancellation)
    {
        try
        {
            await Task.Delay(wait, time, cancellation);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>An invocation of a function whose processes the gateway starts: an instance with room, started if need be.</summary>
    private async Task<InvocationResult> InvokeLaunchedAsync(InvocationRequest request, CancellationToken cancellation)
    {
        var target = request.Target;
        var function = target.Function;
        var pool = launched.For(target.FunctionName);
        var queue = scheduler.QueueOf(target.FunctionName);
        for (var attempt = 0; ; attempt++)
        {
            if (pool.HeldStartFailure() is { } held)
            {
                KeepStartLog(request, held);
                return held;
            }

            // Invocations that instances not ready yet will take are not "queued": MaxQueueLength counts those beyond them.
            var maxQueued = (int)Math.Min(int.MaxValue, function.MaxQueueLength + pool.CapacityToCome(function));
            var acquiring = scheduler.AcquireAsync(
                target.FunctionName, function, pool.Cluster, pool.Ready, picker: null, cancellation, anyInstance: RuntimeApiMailbox.IsInstance, maxQueued, pool.StartsEnded,
                request.InBackground);
            if (!acquiring.IsCompleted)
            {
                // Queued now: an instance that became ready since pool.Ready was read is offered to it, and the queue
                // (this invocation included) may need one more instance. Started only now, once it waits, so that the
                // start's failure reaches it however soon it comes (a program that exits at once), not a second start.
                queue.InstancesAdded(pool.Cluster, pool.Ready, function.InstanceConcurrency);
                pool.GrowIfSaturated(function);
            }

            var acquisition = await acquiring;
            if (acquisition.Lease is not { } lease)
            {
                KeepStartLog(request, acquisition.Failure);
                return Refused(request, acquisition);
            }

            var streaming = false;
            try
            {
                if (pool.InstanceAt(lease.Destination) is not { IsStopping: false } instance)
                {
                    // Granted just before its instance stopped or died (the queue hands a retired instance's slots to
                    // nobody, so this is a rare race): wait for a live one.
                    if (attempt < MaxFullRefusals)
                    {
                        continue;
                    }

                    return new(Outcome.WorkerCrashed, $"Instance {lease.Destination.DestinationId} of {target.FunctionName} stopped before the invocation reached it.");
                }

                var coldStart = instance.TakeFirstInvocation();
                if (coldStart)
                {
                    request.Observer?.ColdStarted();
                }

                var logMark = request.Log is null ? 0 : instance.Process.Output.Tail.Mark();
                var platformLines = function.RuntimeApi == RuntimeApiProtocol.Lambda
                    ? new LambdaPlatformLines(instance, request.RequestId, function.MemorySize, function.Timeout, coldStart)
                    : null;
                request.Observer?.InstanceChosen(instance.Mailbox.Instance);
                var result = await pullInvoker.InvokeAsync(request, instance.Mailbox, int.MaxValue, cancellation, platformLines is null ? null : platformLines.Start);
                if (result.Outcome == Outcome.InstanceGone && attempt < MaxFullRefusals)
                {
                    // It exited before it took the invocation, which never ran: another instance may.
                    continue;
                }

                // A reply streaming still holds the instance, whatever became of the request (a client that left as it
                // began, say): its body is being sent on or dropped.
                var streamed = request.StreamedReply is { IsStarted: true } started ? started : null;
                if (request.Log is { } log)
                {
                    // A streamed reply's END and REPORT come when it ends (below); its tail is what came before it began.
                    await instance.Process.Output.SettleAsync();
                    if (streamed is null)
                    {
                        platformLines?.End(result.Outcome);
                    }

                    log.Text = instance.Process.Output.Tail.Since(logMark);
                }
                else if (streamed is null)
                {
                    platformLines?.End(result.Outcome);
                }

                if (result.Outcome is Outcome.Timeout || (result.Outcome is Outcome.NoInstance && instance.Mailbox.HandedOut == 0))
                {
                    // It missed the deadline, or never took the invocation while it ran nothing (a runtime that stopped
                    // polling): kill it, so that it takes no more. One that runs others is busy, not hung (a runtime
                    // client that asks for the next invocation only once it has answered): their deadlines bound it.
                    pool.Replace(instance, result.Reason);
                }

                pool.Touch(instance);
                if (streamed is not null)
                {
                    // The instance is still sending its body: it stays taken until its reply ends (the body sent, or read
                    // and dropped when the client took none), as until any reply's end.
                    streaming = true;
                    _ = ReleaseWhenReplyEndsAsync(lease, streamed, pool, instance, platformLines);
                }

                return result with { Destination = lease.Destination };
            }
            finally
            {
                if (!streaming)
                {
                    lease.Dispose();
                }
            }
        }
    }

    /// <summary>
    /// Frees a launched instance once the reply it streams has ended (not merely once the client stopped taking it: the
    /// rest is still read from the instance); one that ran out of time is replaced.
    /// </summary>
    private static async Task ReleaseWhenReplyEndsAsync(InstanceLease lease, StreamedReply streamed, LaunchedInstancePool pool, LaunchedInstance instance, LambdaPlatformLines? platformLines)
    {
        using (lease)
        {
            var result = await streamed.Finished;
            platformLines?.End(result.Outcome);
            if (result.Outcome == Outcome.Timeout)
            {
                pool.Replace(instance, result.Reason);
            }

            pool.Touch(instance);
        }
    }

    /// <summary>No instance ran the invocation: the one that failed to start for it wrote what there is to read, its log tail.</summary>
    private static void KeepStartLog(InvocationRequest request, InvocationResult? failure)
    {
        if (request.Log is { } log && failure?.StartLog is { } startLog)
        {
            log.Text = startLog;
        }
    }

    private static InvocationResult Refused(InvocationRequest request, InstanceAcquisition acquisition)
    {
        var target = request.Target;
        return acquisition.Failure is { Reason.Length: > 0 } failure ? failure : new(acquisition.Status, acquisition.Status switch
        {
            Outcome.NoInstance => $"Function {target.FunctionName} has no available instance.",
            Outcome.QueueFull => $"Every instance of {target.FunctionName} is busy and its queue of {target.Function.MaxQueueLength} is full.",
            Outcome.QueueTimeout => $"No instance of {target.FunctionName} became free within {target.Function.QueueTimeout}.",
            Outcome.InitializationFailed => $"A new instance of {target.FunctionName} failed to initialize (its initializer, or init/error); the instance is not used.",
            Outcome.WorkerCrashed => $"The instance started for {target.FunctionName} exited before it polled for invocations.",
            _ => "The client went away while waiting for an instance.",
        });
    }
}
