using FcGateway.Configuration;
using FcGateway.Dispatch.Scheduling;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// Stops the instances of a <see cref="LaunchedInstancePool"/> that should run no more: those idle for <c>IdleTimeout</c>
/// beyond <c>MinInstances</c> (a periodic check), those a reload made outdated (started with another definition of the
/// function's process, or beyond a lowered <c>MaxInstances</c>), and those of a function no longer launched. Each is
/// taken out of service at once and stopped — its pre-stop invocation, then SIGTERM — once it runs nothing; an idle one
/// whose stop has not begun is taken back into service by an invocation that needs an instance. At the gateway's
/// shutdown, it runs the pre-stop of every ready instance.
/// </summary>
internal sealed partial class LaunchedInstanceRetirement : IDisposable
{
    private readonly string _function;
    private readonly GatewaySettingsMonitor _settings;
    private readonly LaunchedInstanceSet _instances;
    private readonly FunctionInstanceQueue _queue;
    private readonly LaunchedInstanceLauncher _launcher;
    private readonly LifecycleInvocations _lifecycle;

    /// <summary>Told, with the settings in force, when a reload retired instances: others may be needed in their place.</summary>
    private readonly Action<FunctionSettings> _retired;

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ITimer _idleCheck;

    /// <summary>Instances out of service that still run invocations, each stopped once it runs nothing. Under the pool's lock.</summary>
    private readonly List<LaunchedInstance> _outdated = [];

    /// <summary>
    /// The idle ones among <see cref="_outdated"/> (one may run an invocation that took it as it was retired): their stop
    /// has not begun, so an invocation that needs an instance may take one back (<see cref="TryTakeBackIdle"/>). Under
    /// the pool's lock.
    /// </summary>
    private readonly List<LaunchedInstance> _idleAwaitingStop = [];

    /// <summary>The function's settings last in force with a <c>Command</c>: how its instances stop once a reload removes it or its <c>Command</c>.</summary>
    private FunctionSettings? _lastLaunched;

    public LaunchedInstanceRetirement(
        string function, GatewaySettingsMonitor settings, LaunchedInstanceSet instances, FunctionInstanceQueue queue, LaunchedInstanceLauncher launcher,
        LifecycleInvocations lifecycle, Action<FunctionSettings> retired, TimeProvider time, ILogger logger)
    {
        _function = function;
        _settings = settings;
        _instances = instances;
        _queue = queue;
        _launcher = launcher;
        _lifecycle = lifecycle;
        _retired = retired;
        _time = time;
        _logger = logger;
        _lastLaunched = Function.Launch is null ? null : Function;
        var period = IdleCheckPeriod(_lastLaunched?.Launch?.IdleTimeout ?? TimeSpan.FromMinutes(5));
        // The pool is made by the first invocation of its function, whose log scope and trace the check is no part of.
        using (ExecutionContext.SuppressFlow())
        {
            _idleCheck = time.CreateTimer(static retirement => ((LaunchedInstanceRetirement)retirement!).StopIdleInstances(), this, period, period);
        }
    }

    private FunctionSettings Function => _settings.Current.GetFunction(_function);

    /// <summary>
    /// Forgets an outdated instance that is killed instead (<see cref="LaunchedInstancePool.Replace"/>); true when it was
    /// one. Caller holds the pool's lock.
    /// </summary>
    public bool Forget(LaunchedInstance instance)
    {
        _idleAwaitingStop.Remove(instance);
        return _outdated.Remove(instance);
    }

    /// <summary>True when an idle instance was taken out of service and its stop has not begun. Caller holds the pool's lock.</summary>
    public bool HasIdleNotYetStopping => _idleAwaitingStop.Count > 0;

    /// <summary>
    /// Puts back into service an instance the idle check took out of it, when its stop (pre-stop, SIGTERM) has not begun
    /// and it may still serve <paramref name="function"/> (the same definition, within its <c>MaxInstances</c>), the one
    /// running fewest invocations: an invocation that arrived since needs an instance, and this warm one serves it at
    /// once, or as soon as it has room, where waiting for its process to exit, as it holds its place under
    /// <c>MaxInstances</c>, and for another to start may outlast the invocation's <c>QueueTimeout</c>. It may still run an
    /// invocation that took it as the check retired it (the queue grants instances without the pool's lock): the end of
    /// that one then frees it for the next, as in any instance in service, where its stop would otherwise go on. False
    /// when there is none. Caller holds the pool's lock.
    /// </summary>
    public bool TryTakeBackIdle(FunctionSettings function)
    {
        if (function.Launch is not { } launch || _instances.Count >= launch.MaxInstances)
        {
            return false;
        }

        var definition = _launcher.DefinitionOf(function);
        LaunchedInstance? instance = null;
        var fewestRunning = int.MaxValue;
        foreach (var idle in _idleAwaitingStop)
        {
            if (!idle.Process.Exited.IsCompleted && idle.Definition.SequenceEqual(definition, StringComparer.Ordinal)
                && _queue.RunningOnInstance(idle.Destination) is var running && running < fewestRunning)
            {
                (instance, fewestRunning) = (idle, running);
            }
        }

        if (instance is null)
        {
            return false;
        }

        _idleAwaitingStop.Remove(instance);
        _outdated.Remove(instance);
        _instances.Restore(instance);
        Log.TakenBack(_logger, _function, instance.Id);
        return true;
    }

    /// <summary>
    /// A reload is in force (and, for instances that were starting then, at each check): the ready instances started
    /// with another definition of the function's process, and those beyond <c>MaxInstances</c> (the least busy first),
    /// take no more invocations; each is stopped once those it runs have finished. New ones start as invocations need them.
    /// </summary>
    public void RetireOutdated()
    {
        var function = Function;
        if (function.Launch is not { } launch)
        {
            // No longer launched: the idle check stops its instances as they come to run nothing, and the ones retired
            // earlier here, which it no longer sees, as they come to.
            if (Volatile.Read(ref _lastLaunched) is { Launch: { } lastLaunch } last)
            {
                StopOutdatedThatRunNothing(last, lastLaunch);
            }

            return;
        }

        var definition = _launcher.DefinitionOf(function);
        List<(LaunchedInstance Instance, string Reason)> retired = [];
        lock (_instances.Lock)
        {
            foreach (var instance in _instances.InService)
            {
                if (instance.IsReady && !instance.Definition.SequenceEqual(definition, StringComparer.Ordinal))
                {
                    retired.Add((instance, "it was started with an earlier Command, Arguments, WorkingDirectory or environment"));
                }
            }

            var beyondMaximum = _instances.InService.Where(instance => instance.IsReady && !retired.Exists(outdated => outdated.Instance == instance))
                .OrderBy(instance => _queue.RunningOnInstance(instance.Destination))
                .Take(_instances.Count - retired.Count - launch.MaxInstances)
                .ToList();
            retired.AddRange(beyondMaximum.Select(instance => (instance, $"the function's MaxInstances is now {launch.MaxInstances}")));
            foreach (var (instance, _) in retired)
            {
                _instances.TryRetire(instance);
                _outdated.Add(instance);
            }
        }

        foreach (var (instance, reason) in retired)
        {
            Log.Retiring(_logger, _function, instance.Id, reason);
        }

        StopOutdatedThatRunNothing(function, launch);
        if (retired.Count > 0)
        {
            _retired(function);
        }
    }

    /// <summary>
    /// At the gateway's shutdown, before <see cref="Launch.LaunchedProcesses"/> sends SIGTERM: the pre-stop invocation of
    /// every ready instance, all at once, when the function asks for one. Each is retired first, so none takes another invocation.
    /// </summary>
    public Task PreStopAllAsync()
    {
        var function = Function;
        if (!function.PreStop)
        {
            return Task.CompletedTask;
        }

        LaunchedInstance[] ready;
        lock (_instances.Lock)
        {
            ready = [.. _instances.InService.Where(instance => instance.IsReady)];
        }

        return Task.WhenAll(ready.Where(_instances.TryRetire).Select(instance => _lifecycle.PreStopAsync(instance, function)));
    }

    public void Dispose() => _idleCheck.Dispose();

    private static TimeSpan IdleCheckPeriod(TimeSpan idleTimeout) =>
        TimeSpan.FromTicks(Math.Clamp(idleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));

    /// <summary>
    /// Stops each retired outdated instance that runs nothing now (one that exited on its own is forgotten), as
    /// <paramref name="function"/> and its <paramref name="launch"/> say.
    /// </summary>
    private void StopOutdatedThatRunNothing(FunctionSettings function, FunctionLaunchSettings launch)
    {
        List<LaunchedInstance> done;
        lock (_instances.Lock)
        {
            done = _outdated.FindAll(instance => instance.Process.Exited.IsCompleted || _queue.RunningOnInstance(instance.Destination) == 0);
            _outdated.RemoveAll(done.Contains);
            _idleAwaitingStop.RemoveAll(done.Contains);
        }

        foreach (var instance in done.Where(instance => !instance.Process.Exited.IsCompleted))
        {
            _ = StopAsync(instance, function, launch);
        }
    }

    private void StopIdleInstances()
    {
        var function = Function;
        if (function.Launch is not null)
        {
            Volatile.Write(ref _lastLaunched, function);
        }

        RetireOutdated();

        // A reload that stops launching the function (its Command or the function removed) leaves its instances to this
        // check alone: each is stopped once it runs nothing, none kept, as its launch settings said to stop it.
        if (Volatile.Read(ref _lastLaunched) is not { Launch: { } launch } launched)
        {
            return;
        }

        var (minInstances, idleTimeout) = function.Launch is null ? (0, TimeSpan.Zero) : (launch.MinInstances, launch.IdleTimeout);
        List<LaunchedInstance> idle = [];
        lock (_instances.Lock)
        {
            var keep = _instances.Count;
            foreach (var instance in _instances.InService)
            {
                if (keep > minInstances && instance.IsReady && _queue.RunningOnInstance(instance.Destination) == 0
                    && _time.GetElapsedTime(instance.LastUsedTimestamp) >= idleTimeout)
                {
                    idle.Add(instance);
                    keep--;
                }
            }
        }

        foreach (var instance in idle)
        {
            // The queue grants instances without this lock: an invocation may have taken this one since it was seen
            // running nothing above. Retired now, it takes no more, and is stopped once it runs nothing, as an outdated one
            // is; its process counts towards MaxInstances meanwhile, and until its stop begins an invocation that needs an
            // instance takes it back (TryTakeBackIdle).
            lock (_instances.Lock)
            {
                if (!_instances.TryRetireToStop(instance))
                {
                    continue;
                }

                _outdated.Add(instance);
                _idleAwaitingStop.Add(instance);
            }

            if (function.Launch is null)
            {
                Log.Retiring(_logger, _function, instance.Id, "the function is no longer launched (removed, or its Command cleared)");
            }
            else
            {
                Log.StoppingIdle(_logger, _function, instance.Id, idleTimeout);
            }
        }

        StopOutdatedThatRunNothing(launched, launch);
    }

    /// <summary>
    /// Stops a retired instance: the pre-stop invocation first when <paramref name="function"/> asks for one (bounded by its
    /// <c>Timeout</c>), then SIGTERM.
    /// </summary>
    private async Task StopAsync(LaunchedInstance instance, FunctionSettings function, FunctionLaunchSettings launch)
    {
        _instances.CountAsStopping(instance);
        await _lifecycle.PreStopAsync(instance, function);
        await instance.Process.StopAsync(launch.StopTimeout, CancellationToken.None);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.InstanceRetired, LogLevel.Information, "Function '{Function}': instance {InstanceId} takes no more invocations and is stopped once those it runs have finished: {Reason}.")]
        public static partial void Retiring(ILogger logger, string function, string instanceId, string reason);

        [LoggerMessage(EventIds.InstanceIdle, LogLevel.Information, "Function '{Function}': instance {InstanceId} was idle for {IdleTimeout} and is taken out of service to be stopped.")]
        public static partial void StoppingIdle(ILogger logger, string function, string instanceId, TimeSpan idleTimeout);

        [LoggerMessage(EventIds.InstanceTakenBack, LogLevel.Information, "Function '{Function}': instance {InstanceId}, idle, takes invocations again: one needed it before it was stopped.")]
        public static partial void TakenBack(ILogger logger, string function, string instanceId);
    }
}
