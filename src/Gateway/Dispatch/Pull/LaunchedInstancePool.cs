using FcGateway.Configuration;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Http;
using FcGateway.Launch;
using FcGateway.Outcomes;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The processes the gateway runs for one function with a <c>Command</c>: none until an invocation needs one (a cold
/// start), one more whenever every instance is full and invocations wait (up to <c>MaxInstances</c>), <c>MinInstances</c>
/// kept from start-up, and an instance idle for <c>IdleTimeout</c> stopped. Each instance polls its own runtime API
/// address, so the scheduler's <c>InstanceConcurrency</c> holds whatever the SDK asks for. An instance that exits fails
/// its invocations at once; one that misses a deadline is killed; both are replaced on demand. After a reload, an
/// instance started with another command line, working directory or environment, or one beyond a lowered
/// <c>MaxInstances</c>, takes no more invocations and is stopped once those it runs have finished.
/// This part decides when to start and kill instances, and holds starts back after failures; its watch
/// (<c>LaunchedInstancePool.Watch.cs</c>) runs each instance's life; README.md names the other parts.
/// </summary>
internal sealed partial class LaunchedInstancePool : IDisposable
{
    private readonly string _function;
    private readonly GatewaySettingsMonitor _settings;
    private readonly FunctionInstanceQueue _queue;
    private readonly RuntimeApiDirectory _directory;
    private readonly LaunchedProcesses _processes;
    private readonly IRuntimeApiListener _listener;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LaunchedInstanceMetrics _metrics;
    private readonly LaunchedInstanceSet _instances;
    private readonly LaunchedInstanceLauncher _launcher;
    private readonly LifecycleInvocations _lifecycle;
    private readonly LaunchedInstanceRetirement _retirement;
    private readonly RestartBackoff _restartBackoff = new();
    private readonly FailedStartHold _startHold;

    /// <summary>The check, when the hold on starts ends, for invocations left waiting behind busy instances meanwhile.</summary>
    private ITimer? _holdEnd;

    /// <summary>Restarts for <c>MinInstances</c> waiting out their <see cref="RestartBackoff"/>: while any does, a start-up or reload starts none.</summary>
    private int _delayedRestarts;

    public LaunchedInstancePool(
        string function, GatewaySettingsMonitor settings, FunctionInstanceQueue queue, RuntimeApiDirectory directory,
        LaunchedProcesses processes, IRuntimeApiListener listener, RequestIdGenerator requestIds, TimeProvider time, LaunchedInstanceMetrics metrics,
        ILogger logger)
    {
        _metrics = metrics;
        _function = function;
        _settings = settings;
        _queue = queue;
        _directory = directory;
        _processes = processes;
        _listener = listener;
        _time = time;
        _logger = logger;
        _startHold = new FailedStartHold(time);
        _instances = new LaunchedInstanceSet(queue, time);
        _launcher = new LaunchedInstanceLauncher(function, settings, directory, processes, listener, time);
        _lifecycle = new LifecycleInvocations(function, settings, directory, requestIds, time, logger);
        Cluster = directory.MailboxOf(function).Cluster;
        StartsEnded = _instances.WhenStartsEnd;
        _retirement = new LaunchedInstanceRetirement(function, settings, _instances, queue, _launcher, _lifecycle, StartInPlaceOfRetired, time, logger);
    }

    public ClusterState Cluster { get; }

    /// <summary>The instances that take invocations now.</summary>
    public IReadOnlyList<DestinationState> Ready => _instances.Ready;

    private FunctionSettings Function => _settings.Current.GetFunction(_function);

    /// <summary>How many instances are starting, and how many are ready, now.</summary>
    public (int Starting, int Ready) Counts => _instances.Counts;

    /// <summary>Every instance, starting or ready.</summary>
    public IReadOnlyList<LaunchedInstance> Instances => _instances.All;

    public LaunchedInstance? InstanceAt(DestinationState destination) => _instances.At(destination);

    /// <summary>
    /// Starts instances until <c>MinInstances</c> run (at start-up, after a reload), unless a restart waits out its backoff:
    /// a start-up or reload meanwhile would otherwise restart a crashing function at once.
    /// </summary>
    public void StartMinimum()
    {
        var function = Function;
        lock (_instances.Lock)
        {
            while (_delayedRestarts == 0 && function.Launch is { } launch && _instances.Count < launch.MinInstances
                && _instances.Count + _instances.Stopping < launch.MaxInstances && StartInstance(function))
            {
            }
        }
    }

    /// <summary>
    /// Starts one more instance when every ready one is full and the ones already starting cannot take the invocations
    /// waiting, up to <c>MaxInstances</c>; takes back into service the idle ones whose stop has not begun first, one at a
    /// time while they are still needed (one call may serve several invocations queued: after a reload, once starts
    /// resume, as an instance exits), and starts one only once none is left and the invocations still have no room.
    /// An invocation calls it once it waits: whenever the start it makes fails (its program cannot be run, it exits before
    /// its first poll), that invocation is among the waiters told so, and no second start is made for it.
    /// </summary>
    public void GrowIfSaturated(FunctionSettings function)
    {
        lock (_instances.Lock)
        {
            // Not once the gateway stops: the pre-stop calls of its shutdown may have passed the instance by.
            while (!_processes.IsStopping && _retirement.HasIdleNotYetStopping && NeedsAnotherInstance(function)
                && _retirement.TryTakeBackIdle(function))
            {
                // The queue may need another still, as beside any full instance: one that still runs an invocation that
                // took it as it was retired may have no room for more.
                _queue.InstancesAdded(Cluster, _instances.Ready, function.InstanceConcurrency);
            }

            if (_startHold.IsHolding)
            {
                // Invocations queued since the last start failed (the caller among them) have no instance to come: they
                // fail now, as those waiting then did.
                if (_instances.NoInstanceComing())
                {
                    _queue.FailWaiters(_startHold.HeldFailure(_function));
                }
                else
                {
                    WatchHoldEnd();
                }

                return;
            }

            if (function.Launch is { } launch && _instances.Count + _instances.Stopping < launch.MaxInstances && NeedsAnotherInstance(function))
            {
                StartInstance(function);
            }
        }
    }

    /// <summary>
    /// What an invocation is answered with at once while on-demand starts are held after failed ones
    /// (<see cref="FailedStartHold"/>) and no instance is ready or starting; null when it may wait for an instance.
    /// </summary>
    public InvocationResult? HeldStartFailure()
    {
        if (!_startHold.MayHold)
        {
            return null;
        }

        lock (_instances.Lock)
        {
            return _instances.NoInstanceComing() && _startHold.IsHolding ? _startHold.HeldFailure(_function) : null;
        }
    }

    /// <summary>
    /// The invocations that instances not ready yet — starting, or still to be started up to <c>MaxInstances</c> — will
    /// take between them: waiting for those is waiting for a cold start, not queueing behind busy instances.
    /// </summary>
    public long CapacityToCome(FunctionSettings function)
    {
        lock (_instances.Lock)
        {
            return (long)Math.Max(0, (function.Launch?.MaxInstances ?? 0) - _instances.Ready.Length) * function.InstanceConcurrency;
        }
    }

    /// <summary>The instance ran an invocation: its idle time starts again.</summary>
    public void Touch(LaunchedInstance instance) => instance.LastUsedTimestamp = _time.GetTimestamp();

    /// <summary>
    /// Kills an instance that missed a deadline; it takes no more invocations and is replaced on demand. One a reload
    /// retired already (<see cref="LaunchedInstanceRetirement.RetireOutdated"/>) is killed too, not left to stop gracefully
    /// once it runs nothing.
    /// </summary>
    public void Replace(LaunchedInstance instance, string reason)
    {
        bool killed;
        lock (_instances.Lock)
        {
            var outdated = _retirement.Forget(instance);
            killed = _instances.TryRetireToStop(instance) || outdated;
        }

        if (killed)
        {
            Kill(instance, reason);
        }
    }

    /// <summary>
    /// A task that completes once every instance starting now is ready or given up on, each within its
    /// <c>InitializationTimeout</c> (its initializer too), and every stop under way now has ended (within its pre-stop's
    /// <c>Timeout</c> and its <c>StopTimeout</c>) with the starts in progress then, among them the one in its place: an
    /// invocation whose <c>QueueTimeout</c> ends meanwhile waits for that, since a cold start decides whether it is served
    /// or fails (502) rather than the queue (429). One delegate for the pool, not one per invocation dispatched.
    /// </summary>
    public Func<Task> StartsEnded { get; }

    /// <summary>A reload is in force: it may have mended what made the function's instances fail to start; outdated ones retire.</summary>
    public void Reloaded()
    {
        lock (_instances.Lock)
        {
            _startHold.End();
        }

        _retirement.RetireOutdated();
    }

    /// <inheritdoc cref="LaunchedInstanceRetirement.PreStopAllAsync"/>
    public Task PreStopAllAsync() => _retirement.PreStopAllAsync();

    public void Dispose()
    {
        _retirement.Dispose();
        lock (_instances.Lock)
        {
            _holdEnd?.Dispose();
        }
    }

    /// <summary>Instances a reload retired are out of service: start what is needed in their place (<c>MinInstances</c>, invocations waiting).</summary>
    private void StartInPlaceOfRetired(FunctionSettings function)
    {
        StartMinimum();
        if (_queue.Queued > 0)
        {
            GrowIfSaturated(function);
        }
    }

    /// <summary>An instance started at <paramref name="startedTimestamp"/> failed to start (<see cref="FailedStartHold"/>). Caller holds the lock.</summary>
    private void CountFailedStart(InvocationResult failure, long startedTimestamp)
    {
        _startHold.Failed(failure, startedTimestamp);
        if (_startHold.IsHolding && _queue.Queued > 0)
        {
            WatchHoldEnd();
        }
    }

    /// <summary>
    /// Invocations wait behind busy instances while starts are held: once the hold ends they may need one more, and no
    /// arrival may come to start it. Caller holds the lock.
    /// </summary>
    private void WatchHoldEnd()
    {
        if (_holdEnd is not null)
        {
            return;
        }

        using (ExecutionContext.SuppressFlow())
        {
            _holdEnd = _time.CreateTimer(static pool => ((LaunchedInstancePool)pool!).HoldEnded(), this, _startHold.Remaining, Timeout.InfiniteTimeSpan);
        }
    }

    private void HoldEnded()
    {
        lock (_instances.Lock)
        {
            _holdEnd?.Dispose();
            _holdEnd = null;
        }

        if (_queue.Queued > 0)
        {
            GrowIfSaturated(Function);
        }
    }

    /// <summary>
    /// True when every ready instance is full and the ones starting cannot take the invocations waiting. Caller holds the lock.
    /// </summary>
    private bool NeedsAnotherInstance(FunctionSettings function) =>
        (long)_instances.Starting * function.InstanceConcurrency < _queue.Queued
        && _queue.IsSaturated(_instances.Ready, function.InstanceConcurrency);

    /// <summary>
    /// Starts one instance; caller holds the lock. False when it could not be started: when its program could not be run
    /// and no other instance is coming, the invocations waiting fail with that.
    /// </summary>
    private bool StartInstance(FunctionSettings function)
    {
        // While the gateway stops, the exits it causes leave fewer than MinInstances: that is no failure to report.
        if (_listener.Address is not { } address || _processes.IsStopping)
        {
            return false;
        }

        if (!_launcher.TryLaunch(function, address, out var instance, out var error))
        {
            if (!_processes.IsStopping)
            {
                // The reason names the command and its working directory, whose names may hold line breaks.
                Log.StartFailed(_logger, _function, LogText.EscapeText(error));

                var failure = CouldNotBeRun();
                CountFailedStart(failure, _time.GetTimestamp());

                // The program could not be run (an exec format error, an interpreter that is missing, a file removed since
                // the configuration was read): with no other instance ready or starting, the invocations waiting would
                // wait out their QueueTimeout for none, then be told the function was busy (429).
                if (_instances.NoInstanceComing())
                {
                    _queue.FailWaiters(failure);
                }
            }

            return false;
        }

        _instances.AddStarting(instance);
        using (ExecutionContext.SuppressFlow())
        {
            _ = WatchAsync(instance);
        }
        return true;
    }

    /// <summary>What the invocations waiting for an instance whose program could not be run are told.</summary>
    /// <remarks>The reason (a path, a working directory) is the log's, not the caller's: it is logged as the start fails.</remarks>
    private InvocationResult CouldNotBeRun() =>
        new(Outcome.InitializationFailed, $"An instance of {_function} could not be started: its program could not be run.");

    private void Kill(LaunchedInstance instance, string reason)
    {
        Log.Replacing(_logger, _function, instance.Id, reason);
        _instances.CountAsStopping(instance);
        _ = instance.Process.StopAsync(TimeSpan.Zero, CancellationToken.None);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.InstanceReady, LogLevel.Information, "Function '{Function}': instance {InstanceId} is ready ({ColdStartMilliseconds:F0} ms from process start to its first poll).")]
        public static partial void Ready(ILogger logger, string function, string instanceId, double coldStartMilliseconds);

        [LoggerMessage(EventIds.InstanceStartFailed, LogLevel.Error, "Function '{Function}': an instance could not be started: {Reason}")]
        public static partial void StartFailed(ILogger logger, string function, string reason);

        [LoggerMessage(EventIds.InstanceExited, LogLevel.Warning, "Function '{Function}': instance {InstanceId} exited with code {ExitCode}; invocations it was running, which failed with it: {Running}; it is replaced when needed.")]
        public static partial void Exited(ILogger logger, string function, string instanceId, int exitCode, int running);

        [LoggerMessage(EventIds.InstanceExited, LogLevel.Warning, "Function '{Function}': instance {InstanceId} exited with code {ExitCode} before its first poll, as the gateway shuts down: its program could not be run: {Reason}")]
        public static partial void ExitedUnrunWhileStopping(ILogger logger, string function, string instanceId, int exitCode, string reason);

        [LoggerMessage(EventIds.InstanceReplaced, LogLevel.Warning, "Function '{Function}': instance {InstanceId} is killed and replaced when needed: {Reason}")]
        public static partial void Replacing(ILogger logger, string function, string instanceId, string reason);

        [LoggerMessage(EventIds.InstanceRestartDelayed, LogLevel.Warning, "Function '{Function}': its instances keep exiting soon after they start; the next one kept for MinInstances starts in {Delay}.")]
        public static partial void RestartDelayed(ILogger logger, string function, TimeSpan delay);

        [LoggerMessage(EventIds.InstanceWatchFailed, LogLevel.Error, "Function '{Function}': following instance {InstanceId} failed; the invocations waiting for its start or its stop wait for it no longer, and its exit may go unhandled.")]
        public static partial void WatchFailed(ILogger logger, string function, string instanceId, Exception exception);
    }
}
