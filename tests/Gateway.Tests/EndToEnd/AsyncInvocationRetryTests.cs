using FcGateway.Edge.InvokeApi;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;
using static Gateway.Tests.EndToEnd.AsyncInvokeApi;

namespace Gateway.Tests.EndToEnd;

/// <summary>An asynchronous invocation that fails runs again under its request id, after a backoff, up to the retry attempts.</summary>
public sealed class AsyncInvocationRetryTests
{
    [Fact]
    public async Task Async_FunctionError_RunsAgainUnderTheSameRequestId_WithItsRetryCount_OnlyOnceTheBackoffHasPassed()
    {
        await using var worker = await FunctionErrorOnceWorkerAsync();
        var time = new WatchedTimeProvider();
        await using var gateway = await TestGateway.ForWorkerAsync(worker, timeProvider: time);

        var requestId = await AcceptedAsync(gateway);
        await time.TimerSet(AsyncRetryPolicy.FirstRetryDelay);
        Assert.Single(worker.Received);
        Assert.True(gateway.Logs.Contains($"Warning FcGateway.Edge.InvokeApi.AsyncInvocations: Asynchronous invocation {requestId} of function echo: attempt 1 ended function_error"));
        time.Advance(AsyncRetryPolicy.FirstRetryDelay);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo succeeded (attempt 2)."));

        Assert.Equal(["0", "1"], worker.Received.Select(received => received.Header("x-fc-retry-count")));
        Assert.All(worker.Received, received => Assert.Equal(requestId, received.Header("x-fc-request-id")));
    }

    [Fact]
    public async Task Async_ToAPullingWorker_RetriedAfterAnError_IsToldItsRetryCount()
    {
        var time = new WatchedTimeProvider();
        await using var gateway = await PullFunction.StartAsync(timeProvider: time);
        var calls = 0;
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Interlocked.Increment(ref calls) == 1
            ? throw new InvalidOperationException("not yet")
            : Task.FromResult("{}"u8.ToArray()));

        var requestId = await AcceptedAsync(gateway);
        await time.TimerSet(AsyncRetryPolicy.FirstRetryDelay);
        time.Advance(AsyncRetryPolicy.FirstRetryDelay);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo succeeded (attempt 2)."));

        Assert.Equal(["0", "1"], worker.Received.Select(received => received.Headers["x-fc-retry-count"]));
        Assert.All(worker.Received, received => Assert.Equal(requestId, received.Headers["x-fc-request-id"]));
    }

    [Fact]
    public async Task Async_FunctionErrorEveryTime_GivesUpAfterTheRetryAttempts_WithTheWorkersTextEscaped()
    {
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 404, "never\r\nForged line", fcStatus: "404"));
        var time = new WatchedTimeProvider();
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:InvokeApi:AsyncRetryAttempts", "1"), timeProvider: time);

        var requestId = await AcceptedAsync(gateway);
        await time.TimerSet(AsyncRetryPolicy.FirstRetryDelay);
        time.Advance(AsyncRetryPolicy.FirstRetryDelay);
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);

        Assert.Equal(2, worker.Received.Count);
        var gaveUp = Assert.Single(gateway.Logs.Lines, line => line.Contains($"Asynchronous invocation {requestId} of function echo failed after 2 attempt(s): function_error", StringComparison.Ordinal));
        Assert.Contains("never\\u000d\\u000aForged line", gaveUp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Async_OutputOverTheResponseLimit_IsNotRunAgain()
    {
        await using var worker = await TestWorker.ReturningAsync(new string('x', 64));
        var time = new WatchedTimeProvider();
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Limits:MaxResponseBodyBytes", "16"), timeProvider: time);

        var requestId = await AcceptedAsync(gateway);
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);

        Assert.True(gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo failed after 1 attempt(s): bad_response"));
        Assert.Single(worker.Received);
    }

    [Fact]
    public void RetryDelay_DoublesFromOneSecond_UpToAMinute()
    {
        Assert.Equal(
            [1, 2, 4, 8, 16, 32, 60, 60],
            Enumerable.Range(1, 8).Select(attempts => AsyncRetryPolicy.RetryDelay(attempts).TotalSeconds));
        Assert.Equal(AsyncRetryPolicy.MaxRetryDelay, AsyncRetryPolicy.RetryDelay(int.MaxValue));
    }
}
