using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FcGateway.Configuration;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Http;
using FcGateway.Launch;
using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The <see cref="LaunchedInstancePool"/> of each function the gateway starts processes for, made on first use. As a
/// hosted service registered after the runtime API's listener, it starts every function's <c>MinInstances</c> once the
/// listener is up; as a listener of YARP's configuration changes, it starts them again after each reload that is put
/// in force (one that adds a function or raises its <c>MinInstances</c>).
/// </summary>
internal sealed class LaunchedInstancePools(
    GatewaySettingsMonitor settings, FunctionInstanceScheduler scheduler, RuntimeApiDirectory directory, LaunchedProcesses processes,
    IRuntimeApiListener listener, RequestIdGenerator requestIds, TimeProvider time, IMeterFactory meterFactory, ILogger<LaunchedInstancePool> logger)
    : IHostedService, IConfigChangeListener, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<LaunchedInstancePool>> _pools = new(StringComparer.Ordinal);
    private LaunchedInstanceMetrics? _metrics;
    private bool _metricsMade;
    private object? _metricsLock;

    /// <summary>Made once (under a lock: a second would report <c>fcgateway.instances</c> twice), with the first pool.</summary>
    private LaunchedInstanceMetrics Metrics =>
        LazyInitializer.EnsureInitialized(ref _metrics, ref _metricsMade, ref _metricsLock, () => new(meterFactory, Counts))!;

    public LaunchedInstancePool For(string function) =>
        _pools.GetOrAdd(function, name => new Lazy<LaunchedInstancePool>(() =>
            new LaunchedInstancePool(name, settings, scheduler.QueueOf(name), directory, processes, listener, requestIds, time, Metrics, logger))).Value;

    /// <summary>Starts the <c>MinInstances</c> of every function that has some, once the runtime API listens.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        StartMinimums();
        return Task.CompletedTask;
    }

    /// <summary>
    /// A reload is in force: instances it made outdated take no more invocations, starts held after failures go ahead, and the functions it gave
    /// <c>MinInstances</c> (or more of them) get them now, not at their first invocation.
    /// </summary>
    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        foreach (var pool in _pools.Values)
        {
            if (pool.IsValueCreated)
            {
                pool.Value.Reloaded();
            }
        }

        StartMinimums();
    }

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception)
    {
    }

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception)
    {
    }

    /// <summary>
    /// At the gateway's shutdown, before <see cref="LaunchedProcesses"/> stops the processes: no more instances start, and
    /// those of functions with <c>PreStop</c> get their pre-stop invocation, for as long as the shutdown time allows.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        processes.StopStarting();
        var preStops = Task.WhenAll(_pools.Values.Where(pool => pool.IsValueCreated).Select(pool => pool.Value.PreStopAllAsync()));
        await preStops.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void StartMinimums()
    {
        // Before the runtime API listens (YARP's first load) and once the gateway stops, no instance can start.
        if (listener.Address is null || processes.IsStopping)
        {
            return;
        }

        foreach (var (name, function) in settings.Current.Functions)
        {
            if (function.Launch is { MinInstances: > 0 })
            {
                For(name).StartMinimum();
            }
        }
    }

    private IEnumerable<(string Function, int Starting, int Ready)> Counts()
    {
        foreach (var (function, pool) in _pools)
        {
            if (pool.IsValueCreated)
            {
                var (starting, ready) = pool.Value.Counts;
                yield return (function, starting, ready);
            }
        }
    }

    public void Dispose()
    {
        foreach (var pool in _pools.Values)
        {
            if (pool.IsValueCreated)
            {
                pool.Value.Dispose();
            }
        }
    }
}
