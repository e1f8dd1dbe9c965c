using System.Collections.Concurrent;

namespace FcGateway.Dispatch.Push;

/// <summary>
/// Sends <c>POST /initialize</c> once per worker instance before its first invoke, for functions that
/// declare an initializer. Concurrent first invocations wait for the one initialization; when it fails they
/// all fail, and the next invocation tries again. A worker known to have gone away (<see cref="Forget(string)"/>),
/// or sent its pre-stop (<see cref="Forget(string, string)"/>), is initialized again: what answers at its address
/// next is another process, which has not run the initializer. A call whose connection is refused fails as never having
/// reached the worker (<see cref="WorkerInitializationException.NeverReached"/>), so its invocations may go elsewhere.
/// </summary>
internal sealed class WorkerInitializer(TimeProvider timeProvider)
{
    /// <summary>The bytes of a failed initializer's body quoted in the reason; the rest is not read.</summary>
    private const int MaxQuotedBytes = 1024;

    private readonly ConcurrentDictionary<(string Function, string Address), Task> _initializations = new();

    public async Task EnsureInitializedAsync(FunctionInvocation invocation, CancellationToken cancellationToken)
    {
        var key = (invocation.FunctionName, invocation.Endpoint.Address);
        if (_initializations.TryGetValue(key, out var existing) && existing.IsCompletedSuccessfully)
        {
            return;
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var initialization = _initializations.GetOrAdd(key, started.Task);
        if (initialization == started.Task)
        {
            _ = InitializeAsync(invocation, key, started);
        }

        // Waiting is bounded by this invocation's own timeout; the initialization itself keeps running for
        // the others even when this caller gives up.
        await initialization.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Forgets the initializations done at <paramref name="address"/>, for a worker that went away: its connection broke
    /// or was refused during an invocation, or it stopped answering health probes. A worker restarted at the same
    /// address is a new instance (FC's "once per worker instance"), so its next invocation initializes it first. One
    /// still in progress is left to finish: it succeeds or fails on whatever answers now.
    /// </summary>
    public void Forget(string address)
    {
        foreach (var initialization in _initializations)
        {
            if (initialization.Key.Address == address && initialization.Value.IsCompletedSuccessfully)
            {
                _initializations.TryRemove(initialization);
            }
        }
    }

    /// <summary>
    /// Forgets <paramref name="function"/>'s initialization at <paramref name="address"/>, for an instance retired with its
    /// pre-stop: it has been told it stops, so one answering at its address later is a new instance.
    /// </summary>
    public void Forget(string function, string address)
    {
        if (_initializations.TryGetValue((function, address), out var initialization) && initialization.IsCompletedSuccessfully)
        {
            _initializations.TryRemove(new((function, address), initialization));
        }
    }

    private async Task InitializeAsync(FunctionInvocation invocation, (string, string) key, TaskCompletionSource completion)
    {
        try
        {
            using var timeout = new CancellationTokenSource(invocation.Function.InitializationTimeout, timeProvider);
            using var request = WorkerRequestFactory.CreateInitialize(invocation);
            using var reply = await invocation.Cluster.HttpClient.SendAsync(request, timeout.Token);
            if (!WorkerReply.IsSuccess(reply))
            {
                var (body, isHead) = await WorkerReply.BodyHeadAsync(reply, MaxQuotedBytes, timeout.Token);
                Fail($"The worker's initializer failed ({WorkerReply.Describe(reply)}): {body}{(isHead ? "…" : "")}");
                return;
            }

            completion.SetResult();
        }
        catch (OperationCanceledException)
        {
            Fail($"The worker's initializer did not finish within {invocation.Function.InitializationTimeout}.");
        }
        catch (HttpRequestException ex) when (WorkerConnectionFailure.IsConnectFailure(ex))
        {
            Fail(WorkerConnectionFailure.Describe(ex, invocation.Endpoint.Address), neverReached: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever failed, the initialization ends: its waiters would otherwise wait out their timeouts, and every later
            // invocation at the address with them, on one that never ends.
            Fail($"The worker could not be initialized: {ex.Message}");
        }

        void Fail(string reason, bool neverReached = false)
        {
            _initializations.TryRemove(new KeyValuePair<(string, string), Task>(key, completion.Task));
            completion.SetException(new WorkerInitializationException(reason, neverReached));
        }
    }
}
