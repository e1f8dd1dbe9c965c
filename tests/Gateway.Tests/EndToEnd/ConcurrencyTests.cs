using System.Net;
using FcGateway.Dispatch.Scheduling;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy;

namespace Gateway.Tests.EndToEnd;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task CapacityPlusOne_WithoutQueue_ExactlyOneIsRefusedWith429()
    {
        var workers = new HeldWorkers();
        await using var first = await workers.StartAsync();
        await using var second = await workers.StartAsync();
        var config = new GatewayConfiguration().WithFunction("echo", first.Url, second.Url)
            .Set("Gateway:Functions:echo:MaxQueueLength", "0");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        var held = new[] { gateway.Client.GetAsync("/echo/"), gateway.Client.GetAsync("/echo/") };
        await Eventually.HoldsAsync(() => workers.Running == 2);
        var refused = await gateway.Client.GetAsync("/echo/");
        workers.ReleaseAll();
        var completed = await Task.WhenAll(held);

        await ErrorPathTests.AssertGatewayErrorAsync(refused, HttpStatusCode.TooManyRequests, "ResourceExhausted");
        Assert.All(completed, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Single(first.Received);
        Assert.Single(second.Received);
    }

    [Fact]
    public async Task BusyInstance_QueuesUpToTheLimit_ThenRefuses_AndServesTheQueueInOrder()
    {
        var workers = new HeldWorkers();
        await using var worker = await workers.StartAsync();
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:MaxQueueLength", "1"));
        var queue = QueueOf(gateway, "echo");

        var running = gateway.Client.GetAsync("/echo/first");
        await Eventually.HoldsAsync(() => workers.Running == 1);
        var queued = gateway.Client.GetAsync("/echo/second");
        await Eventually.HoldsAsync(() => queue.Queued == 1);
        var refused = await gateway.Client.GetAsync("/echo/third");
        Assert.Equal(1, workers.Running);
        workers.ReleaseAll();

        await ErrorPathTests.AssertGatewayErrorAsync(refused, HttpStatusCode.TooManyRequests, "ResourceExhausted");
        Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await queued).StatusCode);
        Assert.Equal(["/echo/first", "/echo/second"], worker.Received.Select(r => r.Event.GetProperty("rawPath").GetString()));
        Assert.Equal(0, queue.Running);
    }

    [Fact]
    public async Task QueuedPastTheQueueTimeout_IsRefusedWith429()
    {
        var clock = new FakeTimeProvider();
        var workers = new HeldWorkers();
        await using var worker = await workers.StartAsync();
        await using var gateway = await TestGateway.ForWorkerAsync(
            worker, configure: c => c.Set("Gateway:Functions:echo:QueueTimeout", "00:00:05").Set("Gateway:Functions:echo:Timeout", "01:00:00"), timeProvider: clock);
        var queue = QueueOf(gateway, "echo");

        var running = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => workers.Running == 1);
        var waiting = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => queue.Queued == 1);
        // The waiter joins the queue a moment before its timer starts, so the clock moves on until the wait ends
        // (far less than the running invocation's hour).
        await Eventually.HoldsAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            return waiting.IsCompleted;
        });
        var timedOut = await waiting;
        workers.ReleaseAll();

        await ErrorPathTests.AssertGatewayErrorAsync(timedOut, HttpStatusCode.TooManyRequests, "ResourceExhausted");
        Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
        Assert.Single(worker.Received);
    }

    [Fact]
    public async Task QueuedClientLeaving_LeavesTheQueueAtOnce()
    {
        var workers = new HeldWorkers();
        await using var worker = await workers.StartAsync();
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:MaxQueueLength", "1"));
        var queue = QueueOf(gateway, "echo");
        using var leaving = new CancellationTokenSource();

        var running = gateway.Client.GetAsync("/echo/running");
        await Eventually.HoldsAsync(() => workers.Running == 1);
        var gone = gateway.Client.GetAsync("/echo/gone", leaving.Token);
        await Eventually.HoldsAsync(() => queue.Queued == 1);
        await leaving.CancelAsync();
        await Eventually.HoldsAsync(() => queue.Queued == 0);
        var next = gateway.Client.GetAsync("/echo/next");
        await Eventually.HoldsAsync(() => queue.Queued == 1);
        workers.ReleaseAll();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => gone);
        Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await next).StatusCode);
        Assert.Equal(["/echo/running", "/echo/next"], worker.Received.Select(r => r.Event.GetProperty("rawPath").GetString()));
    }

    [Fact]
    public async Task InstanceConcurrency_IsNeverExceeded()
    {
        var workers = new HeldWorkers();
        await using var worker = await workers.StartAsync();
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:InstanceConcurrency", "2"));
        var queue = QueueOf(gateway, "echo");

        var calls = Enumerable.Range(0, 6).Select(_ => gateway.Client.GetAsync("/echo/")).ToArray();
        await Eventually.HoldsAsync(() => workers.Running == 2 && queue.Queued == 4);
        workers.ReleaseAll();
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.OK, response.StatusCode));
        Assert.Equal(2, workers.MaxRunning);
    }

    [Fact]
    public async Task WebModeRequestInFlight_CountsOnceInYarpsConcurrentRequestCount()
    {
        var workers = new HeldWorkers();
        await using var worker = await workers.StartAsync();
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web"));
        Assert.True(gateway.Services.GetRequiredService<IProxyStateLookup>().TryGetCluster("echo", out var cluster));
        var destination = cluster.Destinations["d0"];

        var running = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => workers.Running == 1);
        var inFlight = destination.ConcurrentRequestCount;
        workers.ReleaseAll();

        Assert.Equal(HttpStatusCode.OK, (await running).StatusCode);
        Assert.Equal(1, inFlight);
        await Eventually.HoldsAsync(() => destination.ConcurrentRequestCount == 0);
    }

    private static FunctionInstanceQueue QueueOf(TestGateway gateway, string function) =>
        gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(function);

    /// <summary>Workers whose invocations wait until the test releases them, counting how many run at once.</summary>
    private sealed class HeldWorkers
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _running;
        private int _maxRunning;

        public int Running => Volatile.Read(ref _running);

        public int MaxRunning => Volatile.Read(ref _maxRunning);

        public Task<TestWorker> StartAsync() => TestWorker.StartAsync(async (context, _) =>
        {
            var running = Interlocked.Increment(ref _running);
            InterlockedMax(ref _maxRunning, running);
            await _release.Task;
            await Task.Yield();
            Interlocked.Decrement(ref _running);
            await TestWorker.Reply(context, 200, "ok", "200");
        });

        public void ReleaseAll() => _release.TrySetResult();

        private static void InterlockedMax(ref int target, int value)
        {
            for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
            {
                if (Interlocked.CompareExchange(ref target, value, current) == current)
                {
                    return;
                }
            }
        }
    }
}
