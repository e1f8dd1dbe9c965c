using System.Collections.Concurrent;
using FcGateway.Configuration;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Http;
using FcGateway.Launch;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The <see cref="LaunchedInstancePool"/> of each function the gateway starts processes for, made on first use. As a
/// hosted service registered after the runtime API's listener, it starts every function's <c>MinInstances</c> once the
/// listener is up.
/// </summary>
internal sealed class LaunchedInstancePools(
    GatewaySettingsMonitor settings, FunctionInstanceScheduler scheduler, RuntimeApiDirectory directory, LaunchedProcesses processes,
    IRuntimeApiListener listener, RequestIdGenerator requestIds, TimeProvider time, ILogger<LaunchedInstancePool> logger) : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<LaunchedInstancePool>> _pools = new(StringComparer.Ordinal);

    public LaunchedInstancePool For(string function) =>
        _pools.GetOrAdd(function, name => new Lazy<LaunchedInstancePool>(() =>
            new LaunchedInstancePool(name, settings, scheduler.QueueOf(name), directory, processes, listener, requestIds, time, logger))).Value;

    /// <summary>Starts the <c>MinInstances</c> of every function that has some, once the runtime API listens.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, function) in settings.Current.Functions)
        {
            if (function.Launch is { MinInstances: > 0 })
            {
                For(name).StartMinimum();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Nothing to do: <see cref="LaunchedProcesses"/> stops the processes.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

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
