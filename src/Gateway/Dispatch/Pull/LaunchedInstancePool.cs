using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch.Push;
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
/// </summary>
internal sealed partial class LaunchedInstancePool : IDisposable
{
    private readonly string _function;
    private readonly GatewaySettingsMonitor _settings;
    private readonly FunctionInstanceQueue _queue;
    private readonly RuntimeApiDirectory _directory;
    private readonly LaunchedProcesses _processes;
    private readonly IRuntimeApiListener _listener;
    private readonly RequestIdGenerator _requestIds;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LaunchedInstanceMetrics _metrics;
    private readonly Lock _lock = new();
    private readonly Dictionary<DestinationState, LaunchedInstance> _instances = new(ReferenceEqualityComparer.Instance);
    private readonly ITimer _idleCheck;
    private readonly RestartBackoff _restartBackoff = new();
    private readonly FailedStartHold _startHold;

    /// <summary>The check, when the hold on starts ends, for invocations left waiting behind busy instances meanwhile.</summary>
    private ITimer? _holdEnd;
    private readonly List<LaunchedInstance> _outdated = [];
    private DestinationState[] _ready = [];
    private int _starting;

    /// <summary>
    /// Instances whose process the gateway is stopping and that have not exited yet: one that ignores SIGTERM runs until
    /// it is killed after its <c>StopTimeout</c>, and <c>MaxInstances</c> bounds the processes, so no instance starts in
    /// its place until then. One retired while it still runs invocations (a reload) is not counted before it is stopped.
    /// </summary>
    private int _stopping;

    /// <summary>Restarts for <c>MinInstances</c> waiting out their <see cref="RestartBackoff"/>: while any does, a start-up or reload starts none.</summary>
    private int _delayedRestarts;

    /// <summary>The function's settings last in force with a <c>Command</c>: how its instances stop once a reload removes it or its <c>Command</c>.</summary>
    private FunctionSettings? _lastLaunched;

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
        _requestIds = requestIds;
        _time = time;
        _logger = logger;
        _startHold = new FailedStartHold(time);
        Cluster = directory.MailboxOf(function).Cluster;
        StartsEnded = WhenStartsEnd;
        _lastLaunched = Function.Launch is null ? null : Function;
        var period = IdleCheckPeriod(_lastLaunched?.Launch?.IdleTimeout ?? TimeSpan.FromMinutes(5));
        // The pool is made by the first invocation of its function, whose log scope and trace the check is no part of.
        using (ExecutionContext.SuppressFlow())
        {
            _idleCheck = time.CreateTimer(static pool => ((LaunchedInstancePool)pool!).StopIdleInstances(), this, period, period);
        }
    }

    public ClusterState Cluster { get; }

    /// <summary>The instances that take invocations now.</summary>
    public IReadOnlyList<DestinationState> Ready => Volatile.Read(ref _ready);

    private FunctionSettings Function => _settings.Current.GetFunction(_function);

    /// <summary>How many instances are starting, and how many are ready, now.</summary>
    public (int Starting, int Ready) Counts
    {
        get
        {
            lock (_lock)
            {
                return (_starting, _ready.Length);
            }
        }
    }

    /// <summary>Every instance, starting or ready.</summary>
    public IReadOnlyList<LaunchedInstance> Instances
    {
        get
        {
            lock (_lock)
            {
                return [.. _instances.Values];
            }
        }
    }

    public LaunchedInstance? InstanceAt(DestinationState destination)
    {
        lock (_lock)
        {
            return _instances.GetValueOrDefault(destination);
        }
    }

    /// <summary>
    /// Starts instances until <c>MinInstances</c> run (at start-up, after a reload), unless a restart waits out its backoff:
    /// a start-up or reload meanwhile would otherwise restart a crashing function at once.
    /// </summary>
    public void StartMinimum()
    {
        var function = Function;
        lock (_lock)
        {
            while (_delayedRestarts == 0 && function.Launch is { } launch && _instances.Count < launch.MinInstances
                && _instances.Count + _stopping < launch.MaxInstances && StartInstance(function))
            {
            }
        }
    }

    /// <summary>
    /// How long to wait before replacing an instance that exited on its own or never became ready (zero when the function
    /// is not below its <c>MinInstances</c>); a wait counts in <see cref="_delayedRestarts"/> from the moment it is decided.
    /// </summary>
    private TimeSpan RestartDelay(LaunchedInstance instance, bool exitedOnItsOwn)
    {
        lock (_lock)
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
    /// Starts one more instance when every ready one is full and the ones already starting cannot take the invocations
    /// waiting (plus the caller's, unless it is already among them), up to <c>MaxInstances</c>.
    /// </summary>
    public void GrowIfSaturated(FunctionSettings function, bool waitingIncludesCaller)
    {
        lock (_lock)
        {
            if (_startHold.IsHolding)
            {
                // Invocations queued since the last start failed (the caller among them, once it waits) have no instance
                // to come: they fail now, as those waiting then did.
                if (waitingIncludesCaller && NoInstanceComing())
                {
                    _queue.FailWaiters(_startHold.HeldFailure(_function));
                }
                else if (waitingIncludesCaller)
                {
                    WatchHoldEnd();
                }

                return;
            }

            var waiting = _queue.Queued + (waitingIncludesCaller ? 0 : 1);
            if (function.Launch is not { } launch || _instances.Count + _stopping >= launch.MaxInstances
                || (long)_starting * function.InstanceConcurrency >= waiting
                || !_queue.IsSaturated(_ready, function.InstanceConcurrency))
            {
                return;
            }

            StartInstance(function);
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

        lock (_lock)
        {
            return _ready.Length == 0 && _starting == 0 && _startHold.IsHolding ? _startHold.HeldFailure(_function) : null;
        }
    }

    /// <summary>
    /// The invocations that instances not ready yet — starting, or still to be started up to <c>MaxInstances</c> — will
    /// take between them: waiting for those is waiting for a cold start, not queueing behind busy instances.
    /// </summary>
    public long CapacityToCome(FunctionSettings function)
    {
        lock (_lock)
        {
            return (long)Math.Max(0, (function.Launch?.MaxInstances ?? 0) - _ready.Length) * function.InstanceConcurrency;
        }
    }

    /// <summary>The instance ran an invocation: its idle time starts again.</summary>
    public void Touch(LaunchedInstance instance) => instance.LastUsedTimestamp = _time.GetTimestamp();

    /// <summary>
    /// Kills an instance that missed a deadline; it takes no more invocations and is replaced on demand. One a reload
    /// retired already (<see cref="RetireOutdated"/>) is killed too, not left to stop gracefully once it runs nothing.
    /// </summary>
    public void Replace(LaunchedInstance instance, string reason)
    {
        bool killed;
        lock (_lock)
        {
            var outdated = _outdated.Remove(instance);
            killed = TryRetireToStop(instance) || outdated;
        }

        if (killed)
        {
            Kill(instance, reason);
        }
    }

    /// <summary>
    /// A task that completes once every instance starting now is ready or given up on, each within its
    /// <c>InitializationTimeout</c> (its initializer too): an invocation whose <c>QueueTimeout</c> ends meanwhile waits for
    /// that, since a cold start decides whether it is served or fails (502) rather than the queue (429). One delegate for
    /// the pool, not one per invocation dispatched.
    /// </summary>
    public Func<Task> StartsEnded { get; }

    private Task WhenStartsEnd()
    {
        lock (_lock)
        {
            return _starting == 0 ? Task.CompletedTask : Task.WhenAll(_instances.Values.Where(instance => !instance.IsReady).Select(instance => instance.StartEnded));
        }
    }

    public void Dispose()
    {
        _idleCheck.Dispose();
        lock (_lock)
        {
            _holdEnd?.Dispose();
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
        lock (_lock)
        {
            _holdEnd?.Dispose();
            _holdEnd = null;
        }

        if (_queue.Queued > 0)
        {
            GrowIfSaturated(Function, waitingIncludesCaller: true);
        }
    }

    private static TimeSpan IdleCheckPeriod(TimeSpan idleTimeout) =>
        TimeSpan.FromTicks(Math.Clamp(idleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));

    /// <summary>Starts one instance; caller holds the lock. False when it could not be started.</summary>
    private bool StartInstance(FunctionSettings function)
    {
        // While the gateway stops, the exits it causes leave fewer than MinInstances: that is no failure to report.
        if (_listener.Address is not { } address || _processes.IsStopping)
        {
            return false;
        }

        var id = "c-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var mailbox = _directory.AddInstance(_function, id);
        InstanceAddress? ownAddress = null;
        FunctionProcess process;
        IReadOnlyList<string> definition;
        try
        {
            // Lambda's runtime clients for Node.js, Python and Rust keep only host:port of AWS_LAMBDA_RUNTIME_API, so a
            // Lambda instance gets a port of its own; FC's SDK keeps a path, so an FC instance gets a prefix.
            ownAddress = function.RuntimeApi == RuntimeApiProtocol.Lambda ? _listener.OpenInstanceAddress(_function, id) : null;
            var runtimeApi = ownAddress?.Authority ?? $"{address.Authority}/functions/{Uri.EscapeDataString(_function)}/instances/{id}";
            var variables = InstanceEnvironment.For(runtimeApi, _function, id, function, _settings.Current, _time.GetUtcNow());
            definition = DefinitionOf(function);

            // The instance outlives the invocation that made it start: neither its output nor its watch belongs to that
            // request's log scope or trace.
            using (ExecutionContext.SuppressFlow())
            {
                process = _processes.Start(_function, id, function.Launch!, variables);
            }
        }
        catch (Exception ex) when (ex is FunctionLaunchException or InvalidOperationException or IOException or SocketException)
        {
            ownAddress?.Dispose();
            _directory.RemoveInstance(_function, id);
            if (!_processes.IsStopping)
            {
                Log.StartFailed(_logger, _function, ex.Message);

                // The reason (a path, a working directory) is the log's, not the caller's: it is logged just above.
                var failure = new InvocationResult(Outcome.InitializationFailed, $"An instance of {_function} could not be started: its program could not be run.");
                CountFailedStart(failure, _time.GetTimestamp());

                // The program could not be run (an exec format error, an interpreter that is missing, a file removed since
                // the configuration was read): with no other instance ready or starting, the invocations waiting would
                // wait out their QueueTimeout for none, then be told the function was busy (429).
                if (NoInstanceComing())
                {
                    _queue.FailWaiters(failure);
                }
            }

            return false;
        }

        var instance = new LaunchedInstance(process, mailbox, ownAddress, _time.GetTimestamp(), definition);
        _instances[instance.Destination] = instance;
        _starting++;
        using (ExecutionContext.SuppressFlow())
        {
            _ = WatchAsync(instance);
        }
        return true;
    }

    private async Task WatchAsync(LaunchedInstance instance)
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
            if (Function is { Initializer: true } function
                && await RunLifecycleAsync(instance, function, PulledInvocation.InitializerType, "initialize", function.InitializationTimeout) is { } failure)
            {
                Log.InitializationFailed(_logger, _function, instance.Id, LogText.EscapeText(failure));
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
        var wasStopping = EndCountingAsStopping(instance);

        // An exit the gateway asked for (idle stop, replacement, its own shutdown) is no news. One before polling fails
        // the invocations waiting for it, which would otherwise wait out the queue timeout. One the gateway retired
        // already (it missed InitializationTimeout, reported init/error) told its waiters why then; an invocation queued
        // since waits for the instance its own arrival starts, not told this one "exited".
        var retiredByItsExit = instance.IsReady
            ? TryRetire(instance)
            : TryRetireStarting(instance, new InvocationResult(Outcome.WorkerCrashed, "", StartLog: await StartLogAsync(instance)));
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
            if (exitedOnItsOwn)
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
                GrowIfSaturated(Function, waitingIncludesCaller: true);
            }

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
                lock (_lock)
                {
                    _delayedRestarts--;
                }
            }
        }

        StartMinimum();
    }

    /// <summary>
    /// Runs a lifecycle invocation on an instance — the initializer (<c>x-fc-function-type: 1</c>) on a new one, the
    /// pre-stop (2) on one about to stop — with an empty payload, bounded by <paramref name="timeout"/>; null when it
    /// succeeded, else why it failed. It runs under <paramref name="function"/>, the settings the instance is started or
    /// stopped with, not those in force: a pre-stop sent once a reload removed the function needs its reply taken at the
    /// instance's address all the same.
    /// </summary>
    private async Task<string?> RunLifecycleAsync(LaunchedInstance instance, FunctionSettings function, string functionType, string name, TimeSpan timeout)
    {
        using var output = new PooledBuffer();
        var payload = new BufferPayload(ReadOnlyMemory<byte>.Empty);
        var invocation = new PulledInvocation(
            _requestIds.Next(), _function, function, _settings.Current, payload, output, _time.GetUtcNow() + timeout, functionType);
        _directory.TryAdd(invocation);
        try
        {
            instance.Mailbox.TryPost(invocation, int.MaxValue);
            var answered = invocation.Result.WaitAsync(timeout, _time);
            await Task.WhenAny(answered, instance.Process.Exited);
            if (!answered.IsCompleted)
            {
                InvocationResult exited = new(Outcome.WorkerCrashed, $"the process exited during the {name} invocation");
                invocation.Abandon(exited, exited);
            }
            else if (answered.Exception is not null)
            {
                // Its timeout, read here so that it counts as observed: nothing awaits this task, and a fault never looked
                // at would reach the unobserved-task handler once it is collected.
                InvocationResult timedOut = new(Outcome.Timeout, $"the {name} invocation did not answer within {timeout}");
                invocation.Abandon(timedOut, timedOut);
            }

            var result = await invocation.Result;
            return result.Outcome == Outcome.Success ? null : $"{result.Reason} {WorkerErrorText.From(result, output.WrittenSpan)}";
        }
        finally
        {
            _directory.Remove(invocation);
            instance.Mailbox.Forget(invocation);
            await invocation.SendingEnded;
            await payload.ReadingEnded.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
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
        lock (_lock)
        {
            if (!TryRetire(instance))
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

            if (NoInstanceComing())
            {
                _queue.FailWaiters(failure);
            }
            else if (_queue.Queued > 0)
            {
                // Those waiting behind busy instances were not told: they may still need an instance, and no arrival may
                // come to start it (unless starts are held now: then once the hold ends).
                GrowIfSaturated(Function, waitingIncludesCaller: true);
            }
        }

        instance.EndStart();
        return true;
    }

    private void Kill(LaunchedInstance instance, string reason)
    {
        Log.Replacing(_logger, _function, instance.Id, reason);
        CountAsStopping(instance);
        _ = instance.Process.StopAsync(TimeSpan.Zero, CancellationToken.None);
    }

    /// <summary>Counts <paramref name="instance"/>, whose process is being stopped, towards <c>MaxInstances</c> until it has exited.</summary>
    private void CountAsStopping(LaunchedInstance instance)
    {
        lock (_lock)
        {
            // Its watch uncounts it once it saw the exit; an exit already seen is not waited for again.
            if (!instance.IsCountedAsStopping && !instance.Process.Exited.IsCompleted)
            {
                instance.IsCountedAsStopping = true;
                _stopping++;
            }
        }
    }

    /// <summary>Uncounts an instance whose process has exited; true when it was counted as stopping.</summary>
    private bool EndCountingAsStopping(LaunchedInstance instance)
    {
        lock (_lock)
        {
            if (!instance.IsCountedAsStopping)
            {
                return false;
            }

            instance.IsCountedAsStopping = false;
            _stopping--;
            return true;
        }
    }

    private bool NoInstanceComing()
    {
        lock (_lock)
        {
            return _ready.Length == 0 && _starting == 0;
        }
    }

    private void BecomeReady(LaunchedInstance instance)
    {
        var function = Function;
        lock (_lock)
        {
            if (instance.IsStopping)
            {
                return;
            }

            instance.IsReady = true;
            _startHold.End();
            instance.LastUsedTimestamp = _time.GetTimestamp();
            instance.InitDuration = _time.GetElapsedTime(instance.StartedTimestamp);
            _starting--;
            _ready = [.. _ready, instance.Destination];
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

    /// <summary>
    /// Takes an instance out of service to stop it, counted towards <c>MaxInstances</c> from that moment until its process
    /// has exited (<see cref="CountAsStopping"/>), in one step under the lock: an invocation that comes in between starts
    /// no instance in its place while it still runs. False when it was out of service already.
    /// </summary>
    private bool TryRetireToStop(LaunchedInstance instance)
    {
        lock (_lock)
        {
            if (!TryRetire(instance))
            {
                return false;
            }

            CountAsStopping(instance);
            return true;
        }
    }

    /// <summary>Takes an instance out of service; false when it already was.</summary>
    private bool TryRetire(LaunchedInstance instance)
    {
        lock (_lock)
        {
            if (instance.IsStopping)
            {
                return false;
            }

            instance.IsStopping = true;
            if (!instance.IsReady)
            {
                _starting--;
            }

            _instances.Remove(instance.Destination);
            _ready = [.. _ready.Where(ready => !ReferenceEquals(ready, instance.Destination))];
            _queue.InstanceRemoved(instance.Destination);
            return true;
        }
    }

    /// <summary>
    /// What a process of the function is started with, as the settings in force say: its command line, working directory
    /// and environment (the function's own variables and the ones the gateway sets, but for the instance's own address
    /// and id). Counted, so that no two differ only in where one list ends.
    /// </summary>
    private string[] DefinitionOf(FunctionSettings function)
    {
        var launch = function.Launch!;
        var environment = launch.Environment.Concat(InstanceEnvironment.For("", _function, "", function, _settings.Current, DateTimeOffset.UnixEpoch))
            .Select(variable => $"{variable.Key}={variable.Value}")
            .Order(StringComparer.Ordinal);
        return [launch.Command, launch.WorkingDirectory, launch.Arguments.Count.ToString(CultureInfo.InvariantCulture), .. launch.Arguments, .. environment];
    }

    /// <summary>A reload is in force: it may have mended what made the function's instances fail to start; outdated ones retire.</summary>
    public void Reloaded()
    {
        lock (_lock)
        {
            _startHold.End();
        }

        RetireOutdated();
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

        var definition = DefinitionOf(function);
        List<(LaunchedInstance Instance, string Reason)> retired = [];
        lock (_lock)
        {
            foreach (var instance in _instances.Values)
            {
                if (instance.IsReady && !instance.Definition.SequenceEqual(definition, StringComparer.Ordinal))
                {
                    retired.Add((instance, "it was started with an earlier Command, Arguments, WorkingDirectory or environment"));
                }
            }

            var beyondMaximum = _instances.Values.Where(instance => instance.IsReady && !retired.Exists(outdated => outdated.Instance == instance))
                .OrderBy(instance => _queue.RunningOnInstance(instance.Destination))
                .Take(_instances.Count - retired.Count - launch.MaxInstances)
                .ToList();
            retired.AddRange(beyondMaximum.Select(instance => (instance, $"the function's MaxInstances is now {launch.MaxInstances}")));
            foreach (var (instance, _) in retired)
            {
                TryRetire(instance);
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
            StartMinimum();
            if (_queue.Queued > 0)
            {
                GrowIfSaturated(function, waitingIncludesCaller: true);
            }
        }
    }

    /// <summary>
    /// Stops each retired outdated instance that runs nothing now (one that exited on its own is forgotten), as
    /// <paramref name="function"/> and its <paramref name="launch"/> say.
    /// </summary>
    private void StopOutdatedThatRunNothing(FunctionSettings function, FunctionLaunchSettings launch)
    {
        List<LaunchedInstance> done;
        lock (_lock)
        {
            done = _outdated.FindAll(instance => instance.Process.Exited.IsCompleted || _queue.RunningOnInstance(instance.Destination) == 0);
            _outdated.RemoveAll(done.Contains);
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
        lock (_lock)
        {
            var keep = _instances.Count;
            foreach (var instance in _instances.Values)
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
            if (TryRetireToStop(instance))
            {
                if (function.Launch is null)
                {
                    Log.Retiring(_logger, _function, instance.Id, "the function is no longer launched (removed, or its Command cleared)");
                }
                else
                {
                    Log.StoppingIdle(_logger, _function, instance.Id, idleTimeout);
                }

                // The queue grants instances without this lock: an invocation may have taken this one since it was seen
                // running nothing above. Retired now, it takes no more, and is stopped once it runs nothing, as an outdated one
                // is; its process counts towards MaxInstances meanwhile.
                lock (_lock)
                {
                    _outdated.Add(instance);
                }
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
        CountAsStopping(instance);
        await PreStopAsync(instance, function);
        await instance.Process.StopAsync(launch.StopTimeout, CancellationToken.None);
    }

    /// <summary>
    /// At the gateway's shutdown, before <see cref="LaunchedProcesses"/> sends SIGTERM: the pre-stop invocation of every
    /// ready instance, all at once, when the function asks for one. Each is retired first, so none takes another invocation.
    /// </summary>
    public Task PreStopAllAsync()
    {
        var function = Function;
        if (!function.PreStop)
        {
            return Task.CompletedTask;
        }

        LaunchedInstance[] ready;
        lock (_lock)
        {
            ready = [.. _instances.Values.Where(instance => instance.IsReady)];
        }

        return Task.WhenAll(ready.Where(TryRetire).Select(instance => PreStopAsync(instance, function)));
    }

    /// <summary>The pre-stop invocation, when <paramref name="function"/> asks for one (bounded by its <c>Timeout</c>); a failure is logged.</summary>
    private async Task PreStopAsync(LaunchedInstance instance, FunctionSettings function)
    {
        if (function.PreStop && await RunLifecycleAsync(instance, function, PulledInvocation.PreStopType, "prestop", function.Timeout) is { } failure)
        {
            Log.PreStopFailed(_logger, _function, instance.Id, LogText.EscapeText(failure));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.InstanceReady, LogLevel.Information, "Function '{Function}': instance {InstanceId} is ready ({ColdStartMilliseconds:F0} ms from process start to its first poll).")]
        public static partial void Ready(ILogger logger, string function, string instanceId, double coldStartMilliseconds);

        [LoggerMessage(EventIds.InstanceStartFailed, LogLevel.Error, "Function '{Function}': an instance could not be started: {Reason}")]
        public static partial void StartFailed(ILogger logger, string function, string reason);

        [LoggerMessage(EventIds.InstanceExited, LogLevel.Warning, "Function '{Function}': instance {InstanceId} exited with code {ExitCode}; invocations it was running, which failed with it: {Running}; it is replaced when needed.")]
        public static partial void Exited(ILogger logger, string function, string instanceId, int exitCode, int running);

        [LoggerMessage(EventIds.InstanceReplaced, LogLevel.Warning, "Function '{Function}': instance {InstanceId} is killed and replaced when needed: {Reason}")]
        public static partial void Replacing(ILogger logger, string function, string instanceId, string reason);

        [LoggerMessage(EventIds.InstanceInitializationFailed, LogLevel.Warning, "Function '{Function}': the initializer of instance {InstanceId} failed, so the instance is not used: {Reason}")]
        public static partial void InitializationFailed(ILogger logger, string function, string instanceId, string reason);

        [LoggerMessage(EventIds.InstancePreStopFailed, LogLevel.Warning, "Function '{Function}': the pre-stop invocation of instance {InstanceId} failed; it is stopped anyway: {Reason}")]
        public static partial void PreStopFailed(ILogger logger, string function, string instanceId, string reason);

        [LoggerMessage(EventIds.InstanceRestartDelayed, LogLevel.Warning, "Function '{Function}': its instances keep exiting soon after they start; the next one kept for MinInstances starts in {Delay}.")]
        public static partial void RestartDelayed(ILogger logger, string function, TimeSpan delay);

        [LoggerMessage(EventIds.InstanceRetired, LogLevel.Information, "Function '{Function}': instance {InstanceId} takes no more invocations and is stopped once those it runs have finished: {Reason}.")]
        public static partial void Retiring(ILogger logger, string function, string instanceId, string reason);

        [LoggerMessage(EventIds.InstanceIdle, LogLevel.Information, "Function '{Function}': instance {InstanceId} was idle for {IdleTimeout} and is stopped.")]
        public static partial void StoppingIdle(ILogger logger, string function, string instanceId, TimeSpan idleTimeout);
    }
}
