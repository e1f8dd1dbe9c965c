using FcGateway.Buffers;
using FcGateway.Dispatch.Push;
using FcGateway.Outcomes;

namespace FcGateway.Dispatch;

/// <summary>
/// Invocations accepted to run later (the invocation API with <c>x-fc-invocation-type: Async</c>, wire contract §6).
/// Each runs in the background through the dispatcher as a synchronous one would, under the same request id, its output
/// dropped. One that fails in the function (error, timeout, crash, bad reply) is run again up to its retry attempts (the
/// worker is told how many failures came before in <c>x-fc-retry-count</c>); one
/// that finds no instance with room (429, 503) is run again until it is <see cref="MaxAge"/> old; each wait doubles
/// from <see cref="FirstRetryDelay"/> up to <see cref="MaxRetryDelay"/>. Pending invocations live in memory: at
/// shutdown, those running get the host's stop timeout to finish, those waiting are dropped, and both are logged.
/// </summary>
internal sealed partial class AsyncInvocations(FunctionDispatcher dispatcher, TimeProvider time, ILogger<AsyncInvocations> logger)
    : IHostedService, IDisposable
{
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abandon = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pending;

    /// <summary>Invocations accepted and not finished.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>
    /// Takes an invocation to run in the background; it then owns <paramref name="payload"/>. False when
    /// <paramref name="maxPending"/> are pending already or the gateway is stopping: the caller keeps the payload.
    /// </summary>
    public bool TryAccept(string requestId, FunctionTarget target, PooledBuffer payload, int maxPending, int retryAttempts)
    {
        if (Interlocked.Increment(ref _pending) > maxPending || _stopping.IsCancellationRequested)
        {
            Release();
            return false;
        }

        // The invocation outlives the request that asked for it: neither the request's trace nor its log scope flows.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => RunAsync(new PendingInvocation(requestId, target, payload, retryAttempts, time.GetTimestamp())));
        }

        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops retrying at once; waits for the running invocations until <paramref name="cancellationToken"/> fires, then abandons them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        if (Pending == 0)
        {
            _drained.TrySetResult();
        }

        try
        {
            await _drained.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Log.Abandoning(logger, Pending);
            await _abandon.CancelAsync();
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _abandon.Dispose();
    }

    /// <summary>The wait before the attempt after <paramref name="attempts"/> failed ones: 1 s, 2 s, 4 s… up to <see cref="MaxRetryDelay"/>.</summary>
    public static TimeSpan RetryDelay(int attempts) =>
        TimeSpan.FromTicks(Math.Min(FirstRetryDelay.Ticks << Math.Min(attempts - 1, 16), MaxRetryDelay.Ticks));

    private async Task RunAsync(PendingInvocation invocation)
    {
        var function = invocation.Target.FunctionName;
        try
        {
            for (var attempts = 1; ; attempts++)
            {
                var (outcome, reason) = await InvokeOnceAsync(invocation);
                if (outcome == Outcome.Success)
                {
                    Log.Succeeded(logger, invocation.RequestId, function, attempts);
                    return;
                }

                if (!ShouldRetry(invocation, outcome))
                {
                    Log.GaveUp(logger, invocation.RequestId, function, attempts, outcome, reason);
                    return;
                }

                var delay = RetryDelay(attempts);
                Log.Retrying(logger, invocation.RequestId, function, attempts, outcome, reason, delay);
                await Task.Delay(delay, time, _stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            Log.Dropped(logger, invocation.RequestId, function);
        }
        catch (Exception ex)
        {
            Log.Faulted(logger, invocation.RequestId, function, ex);
        }
        finally
        {
            invocation.Payload.Dispose();
            Release();
        }
    }

    /// <returns>How the attempt ended, and why for the log (quoting the worker's error body, escaped like all such text).</returns>
    private async Task<(Outcome Outcome, string Reason)> InvokeOnceAsync(PendingInvocation invocation)
    {
        _stopping.Token.ThrowIfCancellationRequested();
        using var output = new PooledBuffer();
        var result = await dispatcher.InvokeAsync(
            new InvocationRequest
            {
                RequestId = invocation.RequestId,
                Target = invocation.Target,
                Candidates = invocation.Target.Cluster.DestinationsState.AvailableDestinations,
                Payload = new BufferPayload(invocation.Payload.WrittenMemory),
                Output = output,
                RetryCount = invocation.FunctionFailures,
            },
            _abandon.Token);
        return (result.Outcome, result.Outcome == Outcome.Success ? "" : LogText.Escape(WorkerErrorText.Reason(result, output)));
    }

    /// <summary>A function failure while it has retries left; no room for it while it is young enough; nothing else.</summary>
    private bool ShouldRetry(PendingInvocation invocation, Outcome outcome)
    {
        if (OutcomeTable.Of(outcome).IsFunctionFailure)
        {
            return invocation.FunctionFailures++ < invocation.RetryAttempts;
        }

        return outcome is Outcome.QueueFull or Outcome.QueueTimeout or Outcome.InstanceBusy or Outcome.NoInstance
            && time.GetElapsedTime(invocation.AcceptedTimestamp) < MaxAge;
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) == 0 && _stopping.IsCancellationRequested)
        {
            _drained.TrySetResult();
        }
    }

    private sealed class PendingInvocation(string requestId, FunctionTarget target, PooledBuffer payload, int retryAttempts, long acceptedTimestamp)
    {
        public string RequestId { get; } = requestId;

        public FunctionTarget Target { get; } = target;

        public PooledBuffer Payload { get; } = payload;

        public int RetryAttempts { get; } = retryAttempts;

        public long AcceptedTimestamp { get; } = acceptedTimestamp;

        public int FunctionFailures { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.AsyncInvocationSucceeded, LogLevel.Information, "Asynchronous invocation {RequestId} of function {Function} succeeded (attempt {Attempts}).")]
        public static partial void Succeeded(ILogger logger, string requestId, string function, int attempts);

        [LoggerMessage(EventIds.AsyncInvocationRetrying, LogLevel.Warning, "Asynchronous invocation {RequestId} of function {Function}: attempt {Attempts} ended {Outcome} ({Reason}); it runs again in {Delay}.")]
        public static partial void Retrying(ILogger logger, string requestId, string function, int attempts, Outcome outcome, string reason, TimeSpan delay);

        [LoggerMessage(EventIds.AsyncInvocationFailed, LogLevel.Error, "Asynchronous invocation {RequestId} of function {Function} failed after {Attempts} attempt(s): {Outcome} ({Reason}).")]
        public static partial void GaveUp(ILogger logger, string requestId, string function, int attempts, Outcome outcome, string reason);

        [LoggerMessage(EventIds.AsyncInvocationFailed, LogLevel.Error, "Asynchronous invocation {RequestId} of function {Function} failed in the gateway.")]
        public static partial void Faulted(ILogger logger, string requestId, string function, Exception exception);

        [LoggerMessage(EventIds.AsyncInvocationDropped, LogLevel.Warning, "Asynchronous invocation {RequestId} of function {Function} was dropped: the gateway stopped before it could run (pending invocations are held in memory).")]
        public static partial void Dropped(ILogger logger, string requestId, string function);

        [LoggerMessage(EventIds.AsyncInvocationDropped, LogLevel.Warning, "The gateway's stop timeout ran out with {Count} asynchronous invocation(s) still running: they are abandoned.")]
        public static partial void Abandoning(ILogger logger, int count);
    }
}
