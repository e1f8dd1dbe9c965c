using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Push;
using FcGateway.Edge.Telemetry;
using FcGateway.Outcomes;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// Invocations accepted to run later (the invocation API with <c>x-fc-invocation-type: Async</c>, wire contract §6).
/// Each attempt runs in the background through the dispatcher as a synchronous invocation would, under the same request
/// id, with the function's current settings; its output is dropped. One that fails in the function (error, timeout,
/// crash, failed initialization) or finds no instance with room (it waits for one behind every request, in a line of its
/// own: <see cref="InvocationRequest.InBackground"/>) runs again as <see cref="AsyncRetryPolicy"/> says (the
/// worker is told how many failures came before in <c>x-fc-retry-count</c>). Pending invocations live in memory: when
/// the gateway stops, those waiting (to run again, or for an instance: <see cref="AttemptPlacement"/>) are dropped,
/// those running on an instance get what is left of the host's shutdown time, and each is logged.
/// </summary>
internal sealed partial class AsyncInvocations(
    GatewaySettingsMonitor settings, FunctionDirectory functions, FunctionDispatcher dispatcher, GatewayMetrics metrics, TimeProvider time,
    ILogger<AsyncInvocations> logger) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abandon = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, StrongBox<int>> _pendingByFunction = new(StringComparer.Ordinal);
    private int _pending;

    /// <summary>Invocations accepted and not finished.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>
    /// Takes an invocation of <paramref name="target"/>'s function to run in the background; once it is
    /// <see cref="AsyncAcceptance.Accepted"/>, it owns <paramref name="payload"/>, which the caller keeps otherwise.
    /// </summary>
    /// <param name="requestId">The id it runs under.</param>
    /// <param name="target">The function to invoke, as the caller named it; each attempt runs under the settings current then.</param>
    /// <param name="payload">The body, unchanged.</param>
    /// <param name="maxPending">How many of this function's may be pending: each function has a budget of its own, so
    /// one whose invocations cannot run (no instance, for up to a day) does not hold up the others'.</param>
    public AsyncAcceptance TryAccept(string requestId, FunctionTarget target, PooledBuffer payload, int maxPending)
    {
        var functionName = target.FunctionName;
        var functionPending = _pendingByFunction.GetOrAdd(functionName, static _ => new StrongBox<int>());
        Interlocked.Increment(ref _pending);
        if (Interlocked.Increment(ref functionPending.Value) > maxPending || _stopping.IsCancellationRequested)
        {
            Release(functionName);
            return _stopping.IsCancellationRequested ? AsyncAcceptance.Stopping : AsyncAcceptance.TooManyPending;
        }

        var invocation = new PendingInvocation(requestId, functionName, payload, time.GetTimestamp(), Activity.Current?.Context ?? default)
        {
            InvokedQualifier = target.InvokedQualifier,
        };

        // The invocation outlives the request that asked for it: neither the request's activity nor its log scope flows
        // into it (its spans link to the request's instead).
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => RunAsync(invocation));
        }

        return AsyncAcceptance.Accepted;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The start of the shutdown, before any service stops: new invocations are refused from here on, and those waiting
    /// to run again or for an instance are dropped now, not once Kestrel has drained the clients' requests (which the
    /// host stops first, for up to the whole shutdown time, during which they would go on running attempts).
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => _stopping.CancelAsync();

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Drops the invocations waiting to run again or for an instance; waits for those running on one until
    /// <paramref name="cancellationToken"/> fires (the host's shutdown time, shared with the requests Kestrel drained
    /// before), then abandons them.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Already done by StoppingAsync when a host stops it; kept for callers that stop it alone.
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

    private async Task RunAsync(PendingInvocation invocation)
    {
        var (requestId, function) = (invocation.RequestId, invocation.FunctionName);

        // Every line about the invocation carries its request id as a scope, as a request's lines do.
        using var scope = logger.BeginScope(new RequestLogScope(requestId));
        try
        {
            while (await AttemptAsync(invocation) is { } delay)
            {
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
            Release(function);
        }
    }

    /// <summary>
    /// One attempt, under the function's current settings, in a span of its own; how it ended is logged inside that span,
    /// so the line carries the attempt's trace and span ids.
    /// </summary>
    /// <returns>The wait before the next attempt, or null when the invocation is over.</returns>
    private async Task<TimeSpan?> AttemptAsync(PendingInvocation invocation)
    {
        var current = settings.Current;
        if (functions.FindCluster(invocation.FunctionName, current) is not { } cluster)
        {
            // Nothing ran: the attempts counted are those that did, and an invocation none ran for says so instead of
            // "after 0 attempt(s)" (accepted just before the reload that removed its function took effect).
            if (invocation.Attempts == 0)
            {
                Log.RemovedBeforeItRan(logger, invocation.RequestId, invocation.FunctionName);
                return null;
            }

            Log.GaveUp(logger, invocation.RequestId, invocation.FunctionName, invocation.Attempts, OutcomeTable.Of(Outcome.FunctionNotFound).Name, "The function is no longer configured.");
            return null;
        }

        var target = new FunctionTarget(invocation.FunctionName, current, cluster) { InvokedQualifier = invocation.InvokedQualifier };
        using var activity = InvocationSpan.StartAsyncAttempt(invocation.FunctionName, invocation.RequestId, current, invocation.AcceptedBy);
        using var output = new PooledBuffer();

        // An attempt still waiting for an instance when the gateway stops is dropped at once; one already on an
        // instance is let finish, until the shutdown time runs out.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_abandon.Token);
        var placement = new AttemptPlacement(invocation.FunctionName, metrics, activity, attempt, _stopping.Token);
        using var dropWhileWaiting = _stopping.Token.Register(static state => ((AttemptPlacement)state!).GatewayStopping(), placement);
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
                InBackground = true,
                Abandoned = _abandon.Token,
            },
            attempt.Token);
        if (activity is { IsAllDataRequested: true })
        {
            InvocationSpan.SetOutcome(activity, result.Outcome, statusCode: null);
        }

        placement.Ended(result.Outcome);
        var reason = result.Outcome == Outcome.Success ? "" : LogText.EscapeText(WorkerErrorText.Reason(result, output));
        return Ended(invocation, result.Outcome, reason, current.InvokeApi.RetryAttemptsOf(target.Function));
    }

    /// <summary>
    /// Logs how an attempt ended (<paramref name="reason"/> quoting the worker's error body, escaped); a failure in the
    /// function runs again up to <paramref name="retryAttempts"/> times.
    /// </summary>
    /// <returns>The wait before the next attempt, or null when the invocation is over.</returns>
    private TimeSpan? Ended(PendingInvocation invocation, Outcome outcome, string reason, int retryAttempts)
    {
        var (requestId, function) = (invocation.RequestId, invocation.FunctionName);
        invocation.Attempts++;
        if (outcome == Outcome.Success)
        {
            Log.Succeeded(logger, requestId, function, invocation.Attempts);
            return null;
        }

        if (_abandon.IsCancellationRequested)
        {
            Log.Abandoned(logger, requestId, function);
            return null;
        }

        if (_stopping.IsCancellationRequested && outcome == Outcome.ClientClosed)
        {
            Log.Dropped(logger, requestId, function);
            return null;
        }

        var elapsed = time.GetElapsedTime(invocation.AcceptedTimestamp);
        if (AsyncRetryPolicy.NextWait(invocation, outcome, retryAttempts, elapsed) is not { } delay)
        {
            Log.GaveUp(logger, requestId, function, invocation.Attempts, OutcomeTable.Of(outcome).Name, reason);
            return null;
        }

        if (_stopping.IsCancellationRequested)
        {
            Log.Dropped(logger, requestId, function);
            return null;
        }

        var descriptor = OutcomeTable.Of(outcome);
        var level = descriptor.IsFunctionFailure ? LogLevel.Warning : LogLevel.Debug;
        Log.Retrying(logger, level, requestId, function, invocation.Attempts, descriptor.Name, reason, delay);
        return delay;
    }

    private void Release(string functionName)
    {
        Interlocked.Decrement(ref _pendingByFunction[functionName].Value);
        if (Interlocked.Decrement(ref _pending) == 0 && _stopping.IsCancellationRequested)
        {
            _drained.TrySetResult();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.AsyncInvocationSucceeded, LogLevel.Information, "Asynchronous invocation {RequestId} of function {Function} succeeded (attempt {Attempts}).")]
        public static partial void Succeeded(ILogger logger, string requestId, string function, int attempts);

        [LoggerMessage(EventId = EventIds.AsyncInvocationRetrying, Message = "Asynchronous invocation {RequestId} of function {Function}: attempt {Attempts} ended {Outcome} ({Reason}); it runs again in {Delay}.")]
        public static partial void Retrying(ILogger logger, LogLevel level, string requestId, string function, int attempts, string outcome, string reason, TimeSpan delay);

        [LoggerMessage(EventIds.AsyncInvocationFailed, LogLevel.Error, "Asynchronous invocation {RequestId} of function {Function} failed after {Attempts} attempt(s): {Outcome} ({Reason}).")]
        public static partial void GaveUp(ILogger logger, string requestId, string function, int attempts, string outcome, string reason);

        [LoggerMessage(EventIds.AsyncInvocationFailed, LogLevel.Error, "Asynchronous invocation {RequestId} of function {Function} never ran: a reload removed the function before its first attempt.")]
        public static partial void RemovedBeforeItRan(ILogger logger, string requestId, string function);

        [LoggerMessage(EventIds.AsyncInvocationFailed, LogLevel.Error, "Asynchronous invocation {RequestId} of function {Function} failed in the gateway.")]
        public static partial void Faulted(ILogger logger, string requestId, string function, Exception exception);

        [LoggerMessage(EventIds.AsyncInvocationDropped, LogLevel.Warning, "Asynchronous invocation {RequestId} of function {Function} was dropped: the gateway stopped before it could run again (pending invocations are held in memory).")]
        public static partial void Dropped(ILogger logger, string requestId, string function);

        [LoggerMessage(EventIds.AsyncInvocationDropped, LogLevel.Warning, "Asynchronous invocation {RequestId} of function {Function} was abandoned: the gateway's shutdown time ran out while it ran.")]
        public static partial void Abandoned(ILogger logger, string requestId, string function);
    }
}
