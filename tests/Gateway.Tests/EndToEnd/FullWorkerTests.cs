using System.Net;
using Gateway.Tests.Infrastructure;
using FcGateway.Dispatch.Scheduling;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A worker whose own concurrency limit is below the gateway's <c>InstanceConcurrency</c> answers 429 when full, as the
/// C# SDK does with <c>FC_INSTANCE_CONCURRENCY</c>: the gateway treats it as "instance full", never as a failure.
/// </summary>
public sealed class FullWorkerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task WorkerLimitBelowTheGateways_ExtraInvocationsWaitForTheWorker_AndAllSucceed()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slot = new SemaphoreSlim(1);
        var refusals = 0;
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            if (!slot.Wait(0))
            {
                Interlocked.Increment(ref refusals);
                await TestWorker.Reply(context, StatusCodes.Status429TooManyRequests, """{"errorMessage":"busy","errorType":"ConcurrencyLimitExceeded"}""", fcStatus: null);
                return;
            }

            try
            {
                await release.Task;
                await TestWorker.Reply(context, 200, "done", fcStatus: "200");
            }
            finally
            {
                slot.Release();
            }
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:InstanceConcurrency", "3"));

        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf("echo");
        var responses = Enumerable.Range(0, 3).Select(_ => gateway.Client.GetAsync("/echo/")).ToArray();

        // The worker refuses what it cannot run; once it has, the gateway queues the rest instead of sending them.
        await Eventually.HoldsAsync(() => Volatile.Read(ref refusals) >= 1 && queue.Queued == 2);
        release.SetResult();
        var all = await Task.WhenAll(responses).WaitAsync(Bound);

        Assert.All(all, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        foreach (var response in all)
        {
            Assert.Equal("done", await response.Content.ReadAsStringAsync());
        }

        Assert.DoesNotContain(gateway.Logs.Lines, line => line.StartsWith("Warning", StringComparison.Ordinal) || line.StartsWith("Error", StringComparison.Ordinal));
    }

    /// <summary>
    /// A worker that refuses while it runs none of this gateway's invocations is full of another caller's (a second
    /// gateway replica's): the invocation is offered again after growing pauses, while its QueueTimeout lasts, then 429.
    /// </summary>
    [Fact]
    public async Task WorkerFullOfOthersInvocations_IsOfferedItAgainAfterGrowingPauses_Then429OnceTheQueueTimeoutWouldPass()
    {
        await using var worker = await TestWorker.StartAsync((context, _) =>
            TestWorker.Reply(context, StatusCodes.Status429TooManyRequests, "busy", fcStatus: null));
        var time = new WatchedTimeProvider();
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:QueueTimeout", "00:00:01"), timeProvider: time);

        var call = gateway.Client.GetAsync("/echo/");
        await PassPausesAsync(time, 50, 100, 200, 400);
        var response = await call.WaitAsync(Bound);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.TooManyRequests, "ResourceExhausted");
        Assert.Equal(5, worker.Received.Count);
        var requestIds = worker.Received.Select(r => r.Headers["x-fc-request-id"]).Distinct().ToList();
        Assert.Equal(response.Headers.GetValues("X-Fc-Request-Id").Single(), Assert.Single(requestIds));
    }

    [Fact]
    public async Task WorkerFullOfOthersInvocations_RunsTheInvocation_OnceItHasRoom()
    {
        var offers = 0;
        await using var worker = await TestWorker.StartAsync((context, _) => Interlocked.Increment(ref offers) <= 3
            ? TestWorker.Reply(context, StatusCodes.Status429TooManyRequests, "busy", fcStatus: null)
            : TestWorker.Reply(context, 200, "done", fcStatus: "200"));
        var time = new WatchedTimeProvider();
        await using var gateway = await TestGateway.ForWorkerAsync(worker, timeProvider: time);

        var call = gateway.Client.GetAsync("/echo/");
        await PassPausesAsync(time, 50, 100, 200);
        var response = await call.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("done", await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// A pause waited after a refusal by a worker full of others' invocations is not waited again after a later refusal
    /// by one full of this gateway's own: that invocation waits in the queue for room, and runs once the other ends.
    /// </summary>
    [Fact]
    public async Task AfterAPauseForOthersInvocations_ARefusalWhileFullOfOurs_WaitsForRoom_NotForAnotherPause()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var shortOffers = 0;
        await using var worker = await TestWorker.StartAsync(async (context, request) =>
        {
            if (request.Event.GetProperty("rawPath").GetString() == "/echo/long")
            {
                await release.Task;
                await TestWorker.Reply(context, 200, "long", fcStatus: "200");
            }
            else if (Interlocked.Increment(ref shortOffers) <= 2)
            {
                await TestWorker.Reply(context, StatusCodes.Status429TooManyRequests, "busy", fcStatus: null);
            }
            else
            {
                await TestWorker.Reply(context, 200, "short", fcStatus: "200");
            }
        });
        var time = new WatchedTimeProvider();
        await using var gateway = await TestGateway.ForWorkerAsync(
            worker,
            configure: c => c.Set("Gateway:Functions:echo:InstanceConcurrency", "2").Set("Gateway:Functions:echo:QueueTimeout", "00:01:00"),
            timeProvider: time);
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf("echo");

        // Refused while running none of ours: a pause. Meanwhile another invocation starts on the worker.
        var shortCall = gateway.Client.GetAsync("/echo/short");
        await time.TimerSet(TimeSpan.FromMilliseconds(50)).WaitAsync(Bound);
        var longCall = gateway.Client.GetAsync("/echo/long");
        await Eventually.HoldsAsync(() => worker.Received.Count == 2);

        // The pause passes, and with it the cap the first refusal set: refused again, now with one of ours running.
        time.Advance(FunctionInstanceQueue.BusyCapLifetime);
        await Eventually.HoldsAsync(() => Volatile.Read(ref shortOffers) == 2 && queue.Queued == 1);

        release.SetResult();
        var responses = await Task.WhenAll(shortCall, longCall).WaitAsync(Bound);

        Assert.Equal(["short", "long"], await Task.WhenAll(responses.Select(response => response.Content.ReadAsStringAsync())));
        Assert.Equal(3, Volatile.Read(ref shortOffers));
    }

    private static async Task PassPausesAsync(WatchedTimeProvider time, params int[] milliseconds)
    {
        foreach (var pause in milliseconds.Select(ms => TimeSpan.FromMilliseconds(ms)))
        {
            await time.TimerSet(pause).WaitAsync(Bound);
            time.Advance(pause);
        }
    }
}
