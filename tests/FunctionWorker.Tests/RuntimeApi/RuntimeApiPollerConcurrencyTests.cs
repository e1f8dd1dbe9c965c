using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.RuntimeApi;

public sealed class RuntimeApiPollerConcurrencyTests
{
    [Fact]
    public async Task ConcurrencyOne_NeverPollsWhileAnInvocationRuns()
    {
        var running = 0;
        var mostRunning = 0;
        await using var api = await FakeRuntimeApi.StartAsync();
        foreach (var id in new[] { "req-1", "req-2", "req-3" })
        {
            api.Enqueue(id, "");
        }

        // The options ask for 4; the platform's FC_INSTANCE_CONCURRENCY wins.
        await using var worker = await PullingWorker.StartAsync(api, async () =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostRunning, now);

            // Long enough for a worker that polls while it runs to be caught holding a second invocation.
            await Task.Delay(50);
            Interlocked.Decrement(ref running);
        }, new FunctionWorkerOptions { MaxConcurrentInvocations = 4 }, "--FC_INSTANCE_CONCURRENCY=1");

        var outcomes = new[] { await api.NextOutcomeAsync(), await api.NextOutcomeAsync(), await api.NextOutcomeAsync() };

        Assert.Equal(["req-1", "req-2", "req-3"], outcomes.Select(o => o.RequestId));
        Assert.Equal(1, api.MostHeld);
        Assert.Equal(1, mostRunning);
    }

    [Fact]
    public async Task ConcurrencyTwo_RunsTwoAtOnce_WithNoThirdPoll()
    {
        var running = 0;
        var bothRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue("req-1", "");
        api.Enqueue("req-2", "");
        await using var worker = await PullingWorker.StartAsync(api, async () =>
        {
            if (Interlocked.Increment(ref running) == 2)
            {
                bothRunning.SetResult();
            }

            await bothRunning.Task;
        }, args: "--FC_INSTANCE_CONCURRENCY=2");

        var outcomes = new[] { await api.NextOutcomeAsync(), await api.NextOutcomeAsync() };

        Assert.Equal(["req-1", "req-2"], outcomes.Select(o => o.RequestId).Order());
        Assert.Equal(2, api.MostHeld);
    }

    [Fact]
    public async Task Stop_AbandonsWaitingPolls_AndFinishesRunningInvocations()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue("req-drain", "");
        await using var worker = await PullingWorker.StartAsync(api, async () =>
        {
            started.SetResult();

            // Returns only once the stop has begun: the other loop's waiting poll has been given up.
            await api.PollAbandoned;
            return "drained";
        }, args: "--FC_INSTANCE_CONCURRENCY=2");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await WaitUntilAsync(() => api.PollsWaiting == 1);

        await worker.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));

        var outcome = await api.NextOutcomeAsync();
        Assert.Equal(("req-drain", "response", "drained"), (outcome.RequestId, outcome.Outcome, outcome.Text));
        Assert.Equal(0, api.PollsWaiting);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
            seen = Volatile.Read(ref target);
        }
    }
}
