using System.Diagnostics;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Push;
using FcGateway.Edge.Telemetry;
using FcGateway.Outcomes;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// Invocations accepted to run later (the invocation API with <c>x-fc-invocation-type: Async</c>, wire contract §6).
/// Each attempt runs in the background through the dispatcher as a synchronous invocation would, under the same request
/// id, with the function's current settings; its output is dropped. One that fails in the function (error, timeout,
/// crash, failed initialization) runs again up to <c>AsyncRetryAttempts</c> times after <see cref="RetryDelay"/> (the
/// worker is told how many failures came before in <c>x-fc-retry-count</c>); one that finds no instance with room (429,
/// 503) runs again after a jittered wait of the same shape until it is <see cref="MaxAge"/> old; a reply the gateway
/// could not take (over the response limit, broken framing) is not retried, since the function ran to its end. Pending
/// invocations live in memory: when the gateway stops, those waiting (to run again, or for an instance) are dropped,
/// those running on an instance get what is left of the host's shutdown time, and each is logged.
/// </summary>
internal sealed partial class AsyncInvocations(
    GatewaySettingsMonitor settings, FunctionDirectory functions, FunctionDispatcher dispatcher, GatewayMetrics metrics, TimeProvider time,
    ILogger<AsyncInvocations> logger) : IHostedService, IDisposable
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
    /// Takes an invocation of <paramref name="functionName"/> to run in the background; once it is
    /// <see cref="AsyncAcceptance.Accepted"/>, it owns <paramref name="payload"/>, which the caller keeps otherwise.
    /// </summary>
    public AsyncAcceptance TryAccept(string requestId, string functionName, PooledBuffer payload, int maxPending)
    {
        if (Interlocked.Increment(ref _pending) > maxPending || _stopping.IsCancellationRequested)
        {
            Release();
            return _stopping.IsCancellationRequested ? AsyncAcceptance.Stopping : AsyncAcceptance.TooManyPending;
        }

        var invocation = new PendingInvocation(requestId, functionName, payload, time.GetTimestamp(), Activity.Current?.Context ?? default);

        // The invocation outlives the request that asked for it: neither the request's activity nor its log scope flows
        // into it (its spans link to the request's instead).
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => RunAsync(invocation));
        }

        return AsyncAcceptance.Accepted;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Drops the invocations waiting to run again or for an instance; waits for those running on one until
    /// <paramref name="cancellationToken"/> fires (the host's shutdown time, shared with the requests Kestrel drained
    /// before), then abandons them.
    /// </summary>
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
            await _abandon.CancelAsync();
        }
    }

    /// <summary>Disposes the cancellation sources unless an attempt abandoned at shutdown may still read them (they hold no timer).</summary>
    public void Dispose()
    {
        if (Pending == 0)
        {
            _stopping.Dispose();
            _abandon.Dispose();
        }
    }

    /// <summary>The wait after the <paramref name="failures"/>th failed attempt: 1 s, 2 s, 4 s… up to <see cref="MaxRetryDelay"/>.</summary>
    public static TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromTicks(Math.Min(FirstRetryDelay.Ticks << Math.Clamp(failures - 1, 0, 16), MaxRetryDelay.Ticks));

    private async Task RunAsync(PendingInvocation invocation)
    {
        var (requestId, function) = (invocation.RequestId, invocation.FunctionName);
        try
        {
            while (true)
            {
                var (outcome, reason) = await InvokeOnceAsync(invocation);
                invocation.Attempts++;
                if (outcome == Outcome.Success)
                {
                    Log.Succeeded(logger, requestId, function, invocation.Attempts);
                    return;
                }

                if (_abandon.IsCancellationRequested)
                {
                    Log.Abandoned(logger, requestId, function);
                    return;
                }

                if (_stopping.IsCancellationRequested && outcome == Outcome.ClientClosed)
                {
                    Log.Dropped(logger, requestId, function);
                    return;
                }

                if (NextDelay(invocation, outcome) is not { } delay)
                {
                    Log.GaveUp(logger, requestId, function, invocation.Attempts, outcome, reason);
                    return;
                }

                if (_stopping.IsCancellationRequested)
                {
                    Log.Dropped(logger, requestId, function);
                    return;
                }

                var level = OutcomeTable.Of(outcome).IsFunctionFailure ? LogLevel.Warning : LogLevel.Debug;
                Log.Retrying(logger, level, requestId, function, invocation.Attempts, outcome, reason, delay);
                await Task.Delay(delay, time, _stopping.Token);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            Log.Dropped(logger, requestId, function);
        }
        catch (Exception ex)
        {
            Log.Faulted(logger, requestId, function, ex);
        }
        finally
        {
            invocation.Payload.Dispose();
            Release();
        }
    }

    /// <summary>One attempt, under the function's current settings, in a span of its own.</summary>
    /// <returns>How it ended, and why for the log (quoting the worker's error body, escaped like all such text).</returns>
    private async Task<(Outcome Outcome, string Reason)> InvokeOnceAsync(PendingInvocation invocation)
    {
        var current = settings.Current;
        if (functions.FindCluster(invocation.FunctionName, current) is not { } cluster)
        {
            return (Outcome.FunctionNotFound, "The function is no longer configured.");
        }

        var target = new FunctionTarget(invocation.FunctionName, current, cluster);
        using var activity = InvocationSpan.StartAsyncAttempt(invocation.FunctionName, invocation.RequestId, current, invocation.AcceptedBy);
        using var output = new PooledBuffer();

        // An attempt still waiting for an instance when the gateway stops is dropped at once; one already on an
        // instance is let finish, until the shutdown time runs out.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_abandon.Token);
        var placement = new Placement(attempt, _stopping.Token);
        using var dropWhileWaiting = _stopping.Token.Register(static state => ((Placement)state!).GatewayStopping(), placement);
        var result = await dispatcher.InvokeAsync(
            new InvocationRequest
            {
                RequestId = invocation.RequestId,
                Target = target,
                Candidates = cluster.DestinationsState.AvailableDestinations,
                Payload = new BufferPayload(invocation.Payload.WrittenMemory),
                Output = output,
                RetryCount = invocation.FunctionFailures,
                Observer = placement,
            },
            attempt.Token);
        if (activity is { IsAllDataRequested: true })
        {
            InvocationSpan.SetOutcome(activity, result.Outcome, statusCode: null);
        }

        metrics.AsyncAttemptEnded(invocation.FunctionName, result.Outcome);
        return (result.Outcome, result.Outcome == Outcome.Success ? "" : LogText.Escape(WorkerErrorText.Reason(result, output)));
    }

    /// <returns>How long to wait before the next attempt, or null when there is none.</returns>
    private TimeSpan? NextDelay(PendingInvocation invocation, Outcome outcome)
    {
        if (outcome == Outcome.BadResponse)
        {
            return null;
        }

        if (OutcomeTable.Of(outcome).IsFunctionFailure)
        {
            return invocation.FunctionFailures++ < settings.Current.InvokeApi.AsyncRetryAttempts ? RetryDelay(invocation.FunctionFailures) : null;
        }

        if (outcome is Outcome.QueueFull or Outcome.QueueTimeout or Outcome.InstanceBusy or Outcome.NoInstance
            && time.GetElapsedTime(invocation.AcceptedTimestamp) < MaxAge)
        {
            // Between half and all of the wait, so that invocations refused together do not all come back together.
            return RetryDelay(++invocation.Throttles) * (0.5 + (Random.Shared.NextDouble() / 2));
        }

        return null;
    }

    private void Release()
    {
        if (Interlocked.Decrement(ref _pending) == 0 && _stopping.IsCancellationRequested)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>
    /// Cancels an attempt that is not on an instance once the gateway stops: at once if it is waiting then, or when it is
    /// placed later (after its instance refused it as full, say).
    /// </summary>
    private sealed class Placement(CancellationTokenSource attempt, CancellationToken stopping) : IInvocationObserver
    {
        private volatile bool _onInstance;

        public void GatewayStopping()
        {
            if (!_onInstance)
            {
                attempt.Cancel();
            }
        }

        public void InstanceRequested()
        {
        }

        public void InstanceChosen(DestinationState destination)
        {
            if (stopping.IsCancellationRequested)
            {
                attempt.Cancel();
                return;
            }

            _onInstance = true;
        }

        public void ColdStarted()
        {
        }

        public void WorkerCallEnded()
        {
        }
    }

    private sealed class PendingInvocation(string requestId, string functionName, PooledBuffer payload, long acceptedTimestamp, ActivityContext acceptedBy)
    {
        public string RequestId { get; } = requestId;

        public string FunctionName { get; } = functionName;

        public PooledBuffer Payload { get; } = payload;

        public long AcceptedTimestamp { get; } = acceptedTimestamp;

        /// <summary>The span of the request that was answered 202, which each attempt's span links to.</summary>
        public ActivityContext AcceptedBy { get; } = acceptedBy;

        public int Attempts { get; set; }

        /// <summary>Attempts that failed in the function: its <c>x-fc-retry-count</c>.</summary>
        public int FunctionFailures { get; set; }

        /// <summary>Attempts that found no instance with room.</summary>
        public int Throttles { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.AsyncInvocationSucceeded, LogLevel.Information, "Asynchronous invocation {RequestId} of function {Function} succeeded (attempt {Attempts}).")]
        public static partial void Succeeded(ILogger logger, string requestId, string function, int attempts);

        [LoggerMessage(EventId = EventIds.AsyncInvocationRetrying, Message = "Asynchronous invocation {RequestId} of function {Function}: attempt {Attempts} ended {Outcome} ({Reason}); it runs again in {Delay}.")]
        public static partial void Retrying(ILogger logger, LogLevel level, string requestId, string function, int attempts, Outcome outcome, string reason, TimeSpan delay);

        [LoggerMessage(EventIds.AsyncInvocationFailed, LogLevel.Error, "Asynchronous invocation {RequestId} of function {Function} failed after {Attempts} attempt(s): {Outcome} ({Reason}).")]
        public static partial void GaveUp(ILogger logger, string requestId, string function, int attempts, Outcome outcome, string reason);

        [LoggerMessage(EventIds.AsyncInvocationFailed, LogLevel.Error, "Asynchronous invocation {RequestId} of function {Function} failed in the gateway.")]
        public static partial void Faulted(ILogger logger, string requestId, string function, Exception exception);

        [LoggerMessage(EventIds.AsyncInvocationDropped, LogLevel.Warning, "Asynchronous invocation {RequestId} of function {Function} was dropped: the gateway stopped before it could run again (pending invocations are held in memory).")]
        public static partial void Dropped(ILogger logger, string requestId, string function);

        [LoggerMessage(EventIds.AsyncInvocationDropped, LogLevel.Warning, "Asynchronous invocation {RequestId} of function {Function} was abandoned: the gateway's shutdown time ran out while it ran.")]
        public static partial void Abandoned(ILogger logger, string requestId, string function);
    }
}

/// <summary>What <see cref="AsyncInvocations.TryAccept"/> did with an invocation.</summary>
internal enum AsyncAcceptance
{
    /// <summary>It runs in the background: 202.</summary>
    Accepted,

    /// <summary>As many as <c>MaxPendingAsyncInvocations</c> are pending already: 429 ResourceExhausted.</summary>
    TooManyPending,

    /// <summary>The gateway is stopping: 503 ResourceThrottled.</summary>
    Stopping,
}
