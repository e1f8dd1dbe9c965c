using FcGateway.Dispatch.Scheduling;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The instances of one <see cref="LaunchedInstancePool"/> and their counts, under the pool's one lock (<see cref="Lock"/>,
/// which the pool takes too, to make several steps one): every instance starting or ready, the ready ones (read without
/// the lock by every invocation), how many are starting, and how many are stopping — counted towards <c>MaxInstances</c>
/// until their process has exited. An instance taken out of service leaves the scheduler's queue here.
/// </summary>
internal sealed class LaunchedInstanceSet(FunctionInstanceQueue queue, TimeProvider time)
{
    private readonly Dictionary<DestinationState, LaunchedInstance> _instances = new(ReferenceEqualityComparer.Instance);
    private DestinationState[] _ready = [];
    private int _starting;

    /// <summary>
    /// Instances whose process the gateway is stopping and that have not exited yet: one that ignores SIGTERM runs until
    /// it is killed after its <c>StopTimeout</c>, and <c>MaxInstances</c> bounds the processes, so no instance starts in
    /// its place until then. One retired while it still runs invocations (a reload) is not counted before it is stopped.
    /// </summary>
    private int _stopping;

    /// <summary>
    /// The stops under way, each until the pool has handled its process's exit — started what was needed in its place —
    /// or it was taken back into service: an invocation waiting for the room a stop makes waits for that (<see cref="WhenStartsEnd"/>).
    /// </summary>
    private readonly Dictionary<LaunchedInstance, TaskCompletionSource> _stops = new(ReferenceEqualityComparer.Instance);

    /// <summary>The pool's lock: the members below that do not take it are read or called with it held.</summary>
    public Lock Lock { get; } = new();

    /// <summary>The instances that take invocations now.</summary>
    public DestinationState[] Ready => Volatile.Read(ref _ready);

    /// <summary>How many instances are in service, starting or ready. Caller holds the lock.</summary>
    public int Count => _instances.Count;

    /// <summary>How many instances are starting. Caller holds the lock.</summary>
    public int Starting => _starting;

    /// <summary>How many stopping instances have not exited yet. Caller holds the lock.</summary>
    public int Stopping => _stopping;

    /// <summary>Every instance in service, starting or ready. Caller holds the lock.</summary>
    public IEnumerable<LaunchedInstance> InService => _instances.Values;

    /// <summary>How many instances are starting, and how many are ready, now.</summary>
    public (int Starting, int Ready) Counts
    {
        get
        {
            lock (Lock)
            {
                return (_starting, _ready.Length);
            }
        }
    }

    /// <summary>Every instance, starting or ready.</summary>
    public IReadOnlyList<LaunchedInstance> All
    {
        get
        {
            lock (Lock)
            {
                return [.. _instances.Values];
            }
        }
    }

    public LaunchedInstance? At(DestinationState destination)
    {
        lock (Lock)
        {
            return _instances.GetValueOrDefault(destination);
        }
    }

    /// <summary>An instance whose process has just started, starting until it polls. Caller holds the lock.</summary>
    public void AddStarting(LaunchedInstance instance)
    {
        _instances[instance.Destination] = instance;
        _starting++;
    }

    /// <summary>
    /// An instance polled (and passed its initializer): it takes invocations from now, its idle time starting now. False
    /// when it was taken out of service meanwhile. Caller holds the lock.
    /// </summary>
    public bool TryMarkReady(LaunchedInstance instance)
    {
        if (instance.IsStopping)
        {
            return false;
        }

        instance.IsReady = true;
        instance.LastUsedTimestamp = time.GetTimestamp();
        instance.InitDuration = time.GetElapsedTime(instance.StartedTimestamp);
        _starting--;
        _ready = [.. _ready, instance.Destination];
        return true;
    }

    /// <summary>True when no instance is ready or starting: an invocation waiting has none to come.</summary>
    public bool NoInstanceComing()
    {
        lock (Lock)
        {
            return _ready.Length == 0 && _starting == 0;
        }
    }

    /// <summary>
    /// Completes once every instance starting now is ready or given up on, and every stop under way now has ended (its
    /// process exited, after its pre-stop and up to its <c>StopTimeout</c>) together with the starts in progress then,
    /// among them the one begun in the stopped instance's place.
    /// </summary>
    public async Task WhenStartsEnd()
    {
        Task stops;
        lock (Lock)
        {
            stops = _stops.Count == 0 ? Task.CompletedTask : Task.WhenAll(_stops.Values.Select(stop => stop.Task));
        }

        await stops;
        await WhenStartsNowEnd();
    }

    /// <summary>Completes once every instance starting now is ready or given up on.</summary>
    private Task WhenStartsNowEnd()
    {
        lock (Lock)
        {
            return _starting == 0 ? Task.CompletedTask : Task.WhenAll(_instances.Values.Where(instance => !instance.IsReady).Select(instance => instance.StartEnded));
        }
    }

    /// <summary>
    /// Takes an instance out of service to stop it, counted towards <c>MaxInstances</c> from that moment until its process
    /// has exited (<see cref="CountAsStopping"/>), in one step under the lock: an invocation that comes in between starts
    /// no instance in its place while it still runs. False when it was out of service already.
    /// </summary>
    public bool TryRetireToStop(LaunchedInstance instance)
    {
        lock (Lock)
        {
            if (!TryRetire(instance))
            {
                return false;
            }

            CountAsStopping(instance);
            return true;
        }
    }

    /// <summary>
    /// Puts back into service a ready instance taken out of it to be stopped whose stop has not begun (no pre-stop, no
    /// SIGTERM sent): it no longer counts as stopping, the queue hands it invocations again (also the slots that those it
    /// still runs free: one may have raced onto it as it was retired), and its idle time starts again now, so that the next
    /// idle check does not take it out again before the invocation it is wanted for reaches it; the waits for its stop
    /// (<see cref="EndStop"/>) end, as it makes room again. Caller holds the lock.
    /// </summary>
    public void Restore(LaunchedInstance instance)
    {
        instance.IsStopping = false;
        instance.LastUsedTimestamp = time.GetTimestamp();
        _instances[instance.Destination] = instance;
        _ready = [.. _ready, instance.Destination];
        queue.InstanceRestored(instance.Destination);
        EndCountingAsStopping(instance);
        EndStop(instance);
    }

    /// <summary>Takes an instance out of service; false when it already was.</summary>
    public bool TryRetire(LaunchedInstance instance)
    {
        lock (Lock)
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
            queue.InstanceRemoved(instance.Destination);
            return true;
        }
    }

    /// <summary>Counts <paramref name="instance"/>, whose process is being stopped, towards <c>MaxInstances</c> until it has exited.</summary>
    public void CountAsStopping(LaunchedInstance instance)
    {
        lock (Lock)
        {
            // Its watch uncounts it once it saw the exit; an exit already seen is not waited for again.
            if (!instance.IsCountedAsStopping && !instance.Process.Exited.IsCompleted)
            {
                instance.IsCountedAsStopping = true;
                _stopping++;
                _stops.TryAdd(instance, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }
        }
    }

    /// <summary>Uncounts an instance whose process has exited; true when it was counted as stopping.</summary>
    public bool EndCountingAsStopping(LaunchedInstance instance)
    {
        lock (Lock)
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

    /// <summary>
    /// The stop of <paramref name="instance"/> ended: its exit was handled, what was needed started in its place (or it was
    /// taken back into service). The invocations waiting for it go on to wait for the starts in progress now.
    /// </summary>
    public void EndStop(LaunchedInstance instance)
    {
        lock (Lock)
        {
            if (_stops.Remove(instance, out var stop))
            {
                stop.TrySetResult();
            }
        }
    }
}
