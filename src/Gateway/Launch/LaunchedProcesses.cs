using FcGateway.Configuration;

namespace FcGateway.Launch;

/// <summary>
/// Starts function processes and keeps every one still running, so that the gateway's shutdown stops them all: SIGTERM
/// to each at once, a kill after its function's <see cref="FunctionLaunchSettings.StopTimeout"/> (sooner if the host's
/// shutdown time runs out), and the gateway does not go on exiting before each has been reaped.
/// </summary>
/// <param name="loggers">The loggers of the processes' output and lifecycle.</param>
/// <param name="logger">This service's logger.</param>
/// <param name="starter">What starts each process; by default through this machine's <c>setpriv</c>, where there is one.</param>
internal sealed partial class LaunchedProcesses(ILoggerFactory loggers, ILogger<LaunchedProcesses> logger, ProcessStarter? starter = null)
    : IHostedService, IAsyncDisposable
{
    // Made at the first launch: a gateway that launches nothing never looks for setpriv.
    private readonly Lazy<ProcessStarter> _starter = new(() => starter ?? new(ProcessStarter.FindSetpriv()));
    private readonly Lock _gate = new();
    private readonly Dictionary<FunctionProcess, TimeSpan> _running = [];
    private bool _stopping;
    private bool _saidKilledGatewayLeavesInstances;

    /// <summary>True once the gateway's shutdown has begun stopping the processes: no more are started.</summary>
    public bool IsStopping
    {
        get
        {
            lock (_gate)
            {
                return _stopping;
            }
        }
    }

    /// <summary>Starts an instance of <paramref name="function"/> (see <see cref="FunctionProcess.Start"/>) and registers it until it exits.</summary>
    /// <exception cref="FunctionLaunchException">The process could not be started.</exception>
    /// <exception cref="InvalidOperationException">The gateway is shutting down.</exception>
    public FunctionProcess Start(string function, string instanceId, FunctionLaunchSettings settings, IReadOnlyDictionary<string, string> variables)
    {
        // Started under the lock, so a start racing the shutdown is either refused or among the processes it stops.
        lock (_gate)
        {
            if (_stopping)
            {
                throw new InvalidOperationException($"Function '{function}': no instance is started while the gateway shuts down.");
            }

            if (_starter.Value.Setpriv is null && !_saidKilledGatewayLeavesInstances)
            {
                // Said once, at the first launch: a gateway that launches nothing has nothing to leave behind.
                _saidKilledGatewayLeavesInstances = true;
                Log.NoParentDeathSignal(logger);
            }

            var process = FunctionProcess.Start(function, instanceId, settings, variables, _starter.Value, loggers);
            _running.Add(process, settings.StopTimeout);
            _ = ForgetOnExitAsync(process);
            return process;
        }
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The gateway's shutdown has begun: no more processes are started (the pre-stops that come first make instances exit).</summary>
    public void StopStarting()
    {
        lock (_gate)
        {
            _stopping = true;
        }
    }

    /// <summary>Stops every running process in parallel; <paramref name="cancellationToken"/> (the host's shutdown time) turns the remaining graces into kills.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        KeyValuePair<FunctionProcess, TimeSpan>[] running;
        lock (_gate)
        {
            _stopping = true;
            running = [.. _running];
        }

        if (running.Length > 0)
        {
            Log.Stopping(logger, running.Length);
        }

        return Task.WhenAll(running.Select(entry => entry.Key.StopAsync(entry.Value, cancellationToken)));
    }

    /// <summary>
    /// Kills whatever still runs when the container is disposed without the host having been stopped (a host that
    /// failed to start, or one torn down at once): no process outlives the gateway's services.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(new CancellationToken(canceled: true));

        // Only now that every process has been reaped: the thread's end would send SIGTERM to any still running.
        if (_starter.IsValueCreated)
        {
            _starter.Value.Dispose();
        }
    }

    private async Task ForgetOnExitAsync(FunctionProcess process)
    {
        await process.Exited;
        lock (_gate)
        {
            _running.Remove(process);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.FunctionProcessesStopping, LogLevel.Information, "Stopping {Count} function process(es): SIGTERM now, a kill after each function's StopTimeout.")]
        public static partial void Stopping(ILogger logger, int count);

        [LoggerMessage(EventIds.FunctionProcessesNotStoppedIfKilled, LogLevel.Information, "Launched instances will not be stopped if the gateway is killed: setpriv with --pdeathsig (util-linux 2.33 or later) was not found, or this is not Linux.")]
        public static partial void NoParentDeathSignal(ILogger logger);
    }
}
