using FcGateway.Configuration;
using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The pool's state machine for one instance, from its start until its process exits: ready at its first poll (after
/// its initializer), given up on before that (its waiters failed when no other instance comes, the failure counted
/// towards the hold on starts), replaced after an <c>init/error</c> once ready, and at its exit taken out of service,
/// its mailbox's invocations failed and <c>MinInstances</c> restarted. Each step is one under the pool's lock.
/// </summary>
internal sealed partial class LaunchedInstancePool
{
    /// <summary>
    /// Follows <paramref name="instance"/> (<see cref="FollowAsync"/>), started without being awaited: a failure on the way
    /// is logged here, or it would go unseen.
    /// </summary>
    private async Task WatchAsync(LaunchedInstance instance)
    {
        try
        {
            await FollowAsync(instance);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.WatchFailed(_logger, _function, instance.Id, ex);
        }
        finally
        {
            // Each ended on the way (ready or given up on; its exit handled, what it made room for started); ended here too,
            // whatever the watch met, so that no invocation waiting for them (StartsEnded) is held until its client leaves.
            instance.EndStart();
            _instances.EndStop(instance);
        }
    }

    /// <summary>Follows <paramref name="instance"/> from its start until its exit is handled.</summary>
    private async Task FollowAsync(LaunchedInstance instance)
    {
        var startTimeout = Function.InitializationTimeout;
        var mailbox = instance.Mailbox;
        var started = await Task.WhenAny(mailbox.FirstPoll, mailbox.InitFailed, instance.Process.Exited, Task.Delay(startTimeout, _time));
        if (started == mailbox.InitFailed)
        {
            GiveUpOnStart(instance, "it reported an initialization error (init/error)", (await mailbox.InitFailed) with { StartLog = await StartLogAsync(instance) });
        }
        else if (started != mailbox.FirstPoll && started != instance.Process.Exited)
        {
            GiveUpOnStart(instance, $"it did not poll the runtime API within {startTimeout} of its start (InitializationTimeout)", new InvocationResult(
                Outcome.InitializationFailed, $"The instance started for {_function} did not poll the runtime API within its InitializationTimeout of {startTimeout}.",
                StartLog: await StartLogAsync(instance)));
        }
        else if (started == instance.Mailbox.FirstPoll)
        {
            if (Function is { Initializer: true } function && !await _lifecycle.InitializeAsync(instance, function))
            {
                GiveUpOnStart(instance, "its initializer failed", new InvocationResult(Outcome.InitializationFailed, "", StartLog: await StartLogAsync(instance)));
            }
            else
            {
                BecomeReady(instance);
            }
        }

        if (instance.IsReady && await Task.WhenAny(instance.Process.Exited, mailbox.InitFailed) == mailbox.InitFailed)
        {
            // A Lambda process that reports an init error after polling is broken all the same: it takes no more.
            Replace(instance, "it reported an initialization error (init/error) after its first poll");
        }

        var exitCode = await instance.Process.Exited;
        var wasStopping = _instances.EndCountingAsStopping(instance);

        // An exit the gateway asked for (idle stop, replacement, its own shutdown) is no news. One before polling fails
        // the invocations waiting for it, which would otherwise wait out the queue timeout. One the gateway retired
        // already (it missed InitializationTimeout, reported init/error) told its waiters why then; an invocation queued
        // since waits for the instance its own arrival starts, not told this one "exited".
        var retiredByItsExit = instance.IsReady
            ? _instances.TryRetire(instance)
            : TryRetireStarting(instance, await ExitedBeforePollingAsync(instance, exitCode));
        var exitedOnItsOwn = retiredByItsExit && !instance.Process.StopRequested;
        var delay = RestartDelay(instance, exitedOnItsOwn);
        try
        {
            _directory.RemoveInstance(_function, instance.Id);
            instance.OwnAddress?.Dispose();
            // An invocation posted to it and not yet taken (its SDK had not polled again: a Go process exits after reporting a
            // panic) goes to another instance, unless the gateway is stopping them all.
            InvocationResult crashed = new(Outcome.WorkerCrashed, $"Instance {instance.Id} of {_function} exited with code {exitCode} before answering.");
            var running = instance.Mailbox.FailAll(
                _processes.IsStopping ? crashed : new(Outcome.InstanceGone, $"Instance {instance.Id} of {_function} exited with code {exitCode} before it took the invocation."),
                crashed);
            if (exitedOnItsOwn && instance.Process.SetprivFailure is null)
            {
                // aws-lambda-go exits once it has reported a panic: the invocation was answered, none is running then.
                Log.Exited(_logger, _function, instance.Id, exitCode, running);
            }

            // Serve invocations still waiting (an instance that never polled is not restarted for them here: they were told
            // it failed, or got another start then, unless its process, being killed, left no room for one), and keep
            // MinInstances. One that keeps exiting soon after it started is restarted for MinInstances less and less often;
            // one that never became ready (it exited before polling, missed its InitializationTimeout, failed its
            // initializer) failed to start, whoever ended it, so a function that cannot start is not restarted in a loop,
            // nor left below MinInstances for good.
            if ((instance.IsReady || wasStopping) && _queue.Queued > 0)
            {
                GrowIfSaturated(Function);
            }

            _instances.EndStop(instance);
            if (delay > TimeSpan.Zero)
            {
                Log.RestartDelayed(_logger, _function, delay);
                await Task.Delay(delay, _time);
            }
        }
        finally
        {
            // Counted from the moment it was decided: uncounted whatever happens meanwhile, or no start-up or reload would
            // start the function's MinInstances again.
            if (delay > TimeSpan.Zero)
            {
                lock (_instances.Lock)
                {
                    _delayedRestarts--;
                }
            }
        }

        StartMinimum();
    }

    /// <summary>
    /// How long to wait before replacing an instance that exited on its own or never became ready (zero when the function
    /// is not below its <c>MinInstances</c>); a wait counts in <see cref="_delayedRestarts"/> from the moment it is decided.
    /// </summary>
    private TimeSpan RestartDelay(LaunchedInstance instance, bool exitedOnItsOwn)
    {
        lock (_instances.Lock)
        {
            if (!(exitedOnItsOwn || !instance.IsReady) || _processes.IsStopping || Function.Launch is not { } launch || _instances.Count >= launch.MinInstances)
            {
                return TimeSpan.Zero;
            }

            var delay = _restartBackoff.AfterExit(_time.GetElapsedTime(instance.StartedTimestamp));
            if (delay > TimeSpan.Zero)
            {
                _delayedRestarts++;
            }

            return delay;
        }
    }

    /// <summary>
    /// What the invocations waiting for an instance that exited before its first poll are told: that it could not be
    /// started, logged as such, when setpriv could not run its program (as when the gateway runs one that cannot run
    /// without it); else that it exited, with what it wrote. While the gateway shuts down no start is failing (none is
    /// made, none is counted): setpriv's failure is logged as what ended that instance.
    /// </summary>
    private async Task<InvocationResult> ExitedBeforePollingAsync(LaunchedInstance instance, int exitCode)
    {
        if (instance.Process.SetprivFailure is not { } reason)
        {
            return new InvocationResult(Outcome.WorkerCrashed, "", StartLog: await StartLogAsync(instance));
        }

        if (_processes.IsStopping)
        {
            Log.ExitedUnrunWhileStopping(_logger, _function, instance.Id, exitCode, LogText.EscapeText(reason));
        }
        else
        {
            Log.StartFailed(_logger, _function, LogText.EscapeText(reason));
        }

        return CouldNotBeRun();
    }

    /// <summary>
    /// What an instance that failed before it became ready wrote since its start (read to the last line it wrote so far),
    /// for the log tail of the invocations that waited for it: the traceback of a handler that could not be loaded.
    /// </summary>
    private static async Task<string> StartLogAsync(LaunchedInstance instance)
    {
        await instance.Process.Output.SettleAsync();
        return instance.Process.Output.Tail.Since(0);
    }

    /// <summary>Kills an instance that failed to start (see <see cref="TryRetireStarting"/>).</summary>
    private void GiveUpOnStart(LaunchedInstance instance, string reason, InvocationResult failure) => TryRetireStarting(instance, failure, killReason: reason);

    /// <summary>
    /// Takes an instance that is not ready out of service (killed first when <paramref name="killReason"/> says why) and,
    /// when no other instance is ready or starting, fails the invocations waiting with <paramref name="failure"/>, else
    /// starts another for them if they need one and starts are not held, in one step under the lock: an invocation whose
    /// queue timeout ends meanwhile (<see cref="StartsEnded"/>) finds all done or none. False when it was retired already.
    /// </summary>
    private bool TryRetireStarting(LaunchedInstance instance, InvocationResult failure, string? killReason = null)
    {
        lock (_instances.Lock)
        {
            if (!_instances.TryRetire(instance))
            {
                return false;
            }

            // Killed before its waiters are told, so that what they are told has happened.
            if (killReason is not null)
            {
                Kill(instance, killReason);
            }

            if (!_processes.IsStopping)
            {
                CountFailedStart(failure, instance.StartedTimestamp);
            }

            if (_instances.NoInstanceComing())
            {
                _queue.FailWaiters(failure);
            }
            else if (_queue.Queued > 0)
            {
                // Those waiting behind busy instances were not told: they may still need an instance, and no arrival may
                // come to start it (unless starts are held now: then once the hold ends).
                GrowIfSaturated(Function);
            }
        }

        instance.EndStart();
        return true;
    }

    private void BecomeReady(LaunchedInstance instance)
    {
        var function = Function;
        lock (_instances.Lock)
        {
            if (!_instances.TryMarkReady(instance))
            {
                return;
            }

            _startHold.End();
        }

        if (function.RuntimeApi == RuntimeApiProtocol.Lambda)
        {
            // Read once now, so that Lambda's REPORT of an invocation the process died in has a peak, even its first.
            _ = instance.Process.PeakMemoryBytes();
        }

        Log.Ready(_logger, _function, instance.Id, instance.InitDuration.TotalMilliseconds);
        _metrics.InstanceReady(_function, instance.InitDuration);
        _queue.InstancesAdded(Cluster, Ready, function.InstanceConcurrency);
        instance.EndStart();
    }
}
