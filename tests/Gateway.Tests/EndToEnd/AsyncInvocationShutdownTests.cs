using System.Diagnostics.Metrics;
using System.Net;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Edge.InvokeApi;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Tests.EndToEnd.AsyncInvokeApi;

namespace Gateway.Tests.EndToEnd;

/// <summary>What becomes of the asynchronous invocations still pending when the gateway stops: waited for while they run, dropped while they wait.</summary>
public sealed class AsyncInvocationShutdownTests
{
    [Fact]
    public async Task Async_RunningWhenTheGatewayStops_IsWaitedFor()
    {
        var release = new TaskCompletionSource();
        await using var worker = await HeldWorkerAsync(release);
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var requestId = await AcceptedAsync(gateway);
        await Eventually.HoldsAsync(() => !worker.Received.IsEmpty);
        var stopping = gateway.StopAsync();
        Assert.False(stopping.IsCompleted);
        release.SetResult();
        await stopping;

        Assert.True(gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo succeeded (attempt 1)."));
    }

    [Fact]
    public async Task Async_StillRunningWhenTheShutdownTimeRunsOut_IsAbandonedAndLogged()
    {
        var release = new TaskCompletionSource();
        await using var worker = await HeldWorkerAsync(release);
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var invocations = gateway.Services.GetRequiredService<AsyncInvocations>();

        var requestId = await AcceptedAsync(gateway);
        await Eventually.HoldsAsync(() => !worker.Received.IsEmpty);
        await invocations.StopAsync(new CancellationToken(canceled: true));
        await Eventually.HoldsAsync(() => invocations.Pending == 0);
        release.SetResult();

        Assert.True(gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo was abandoned: the gateway's shutdown time ran out while it ran."));
        var refused = await gateway.Client.SendAsync(AsyncInvocation([8]));
        await ErrorPathTests.AssertGatewayErrorAsync(refused, HttpStatusCode.ServiceUnavailable, "ResourceThrottled");
        Assert.Single(worker.Received);
    }

    /// <summary>
    /// A pulling worker's invocation is not given the rest of its function timeout once the shutdown time has run out:
    /// the gateway would otherwise exit with it still pending and never log it as abandoned.
    /// </summary>
    [Fact]
    public async Task Async_OnAPullingWorker_StillRunningWhenTheShutdownTimeRunsOut_IsAbandonedAndLoggedAtOnce()
    {
        var release = new TaskCompletionSource<byte[]>();
        await using var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "01:00:00"));
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => release.Task);
        var invocations = gateway.Services.GetRequiredService<AsyncInvocations>();
        try
        {
            var requestId = await AcceptedAsync(gateway);
            await Eventually.HoldsAsync(() => !worker.Received.IsEmpty);
            await invocations.StopAsync(new CancellationToken(canceled: true));
            await Eventually.HoldsAsync(() => invocations.Pending == 0);

            Assert.True(gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo was abandoned: the gateway's shutdown time ran out while it ran."));
        }
        finally
        {
            release.SetResult("{}"u8.ToArray());
        }
    }

    /// <summary>
    /// A pulled attempt that a worker's poll takes in the instant the gateway begins stopping is the worker's: it runs and
    /// its end is logged, as a pushed attempt's on an instance is, instead of being dropped while the worker runs it. The
    /// stop begins inside the hand-off, where the attempt's wait for an instance is measured (<c>fcgateway.queue.duration</c>).
    /// </summary>
    [Fact]
    public async Task Async_TakenByAWorkersPollAsTheGatewayBeginsStopping_RunsAndIsLogged_NotDropped()
    {
        await using var gateway = await PullFunction.StartAsync();
        var invocations = gateway.Services.GetRequiredService<AsyncInvocations>();
        var meters = gateway.Services.GetRequiredService<IMeterFactory>();
        using var stopAsAPollTakesIt = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name == "fcgateway.queue.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        stopAsAPollTakesIt.SetMeasurementEventCallback<double>((_, _, _, _) => _ = invocations.StoppingAsync(CancellationToken.None));
        stopAsAPollTakesIt.Start();
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Task.FromResult("{}"u8.ToArray()));

        var requestId = await AcceptedAsync(gateway);
        await Eventually.HoldsAsync(() => invocations.Pending == 0);

        Assert.True(gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo succeeded (attempt 1)."));
        Assert.False(gateway.Logs.Contains("was dropped"));
        Assert.Single(worker.Received);
    }

    [Fact]
    public async Task Async_WaitingForAnInstanceWhenTheGatewayStops_IsDroppedAtOnce()
    {
        var release = new TaskCompletionSource();
        await using var worker = await HeldWorkerAsync(release);
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:InstanceConcurrency", "1"));
        var invocations = gateway.Services.GetRequiredService<AsyncInvocations>();
        var busy = gateway.Client.PostAsync(InvocationsPath, new StringContent("sync"));
        await Eventually.HoldsAsync(() => !worker.Received.IsEmpty);

        var requestId = await AcceptedAsync(gateway);
        await Eventually.HoldsAsync(() => gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf("echo").Queued == 1);
        await invocations.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        release.SetResult();

        Assert.True(gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo was dropped"));
        Assert.Equal(0, invocations.Pending);
        Assert.Equal(HttpStatusCode.OK, (await busy).StatusCode);
        Assert.Single(worker.Received);
    }

    [Fact]
    public async Task Async_RefusedAsFullByItsInstanceAfterTheGatewayBeganStopping_IsDroppedNotPlacedAgain()
    {
        var refuse = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            await refuse.Task;
            await TestWorker.Reply(context, 429, "busy", fcStatus: null);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var invocations = gateway.Services.GetRequiredService<AsyncInvocations>();

        var requestId = await AcceptedAsync(gateway);
        await Eventually.HoldsAsync(() => !worker.Received.IsEmpty);
        var stopping = invocations.StopAsync(CancellationToken.None);
        refuse.SetResult();
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.True(gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo was dropped"));
        Assert.Single(worker.Received);
    }

    [Fact]
    public async Task Async_WaitingForARetryWhenTheGatewayStops_IsDroppedAndLogged()
    {
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 404, "{}", fcStatus: "404"));
        var time = new WatchedTimeProvider();
        await using var gateway = await TestGateway.ForWorkerAsync(worker, timeProvider: time);

        var requestId = await AcceptedAsync(gateway);
        await time.TimerSet(AsyncRetryPolicy.FirstRetryDelay);
        await gateway.StopAsync();

        Assert.True(gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo was dropped: the gateway stopped before it could run again"));
        Assert.Equal(0, PendingOf(gateway));
        Assert.Single(worker.Received);
    }

    [Fact]
    public async Task Async_WaitingForARetryWhenTheGatewayBeginsStopping_IsDroppedAtOnce_WhileClientRequestsStillDrain()
    {
        // The host stops Kestrel (which drains the clients' requests for up to DrainTimeout) before the asynchronous
        // invocations; those waiting to run again must not keep running attempts through that drain.
        var release = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (context, received) =>
        {
            if (received.Body is [(byte)'s', ..])
            {
                await release.Task;
                await TestWorker.Reply(context, 200, "ok", fcStatus: "200");
                return;
            }

            await TestWorker.Reply(context, 404, "{}", fcStatus: "404");
        });
        var time = new WatchedTimeProvider();
        await using var gateway = await TestGateway.ForWorkerAsync(
            worker, configure: c => c.Set("Gateway:Functions:echo:InstanceConcurrency", "2"), timeProvider: time);
        var busy = gateway.Client.PostAsync(InvocationsPath, new StringContent("sync"));
        await Eventually.HoldsAsync(() => !worker.Received.IsEmpty);
        var requestId = await AcceptedAsync(gateway);
        await time.TimerSet(AsyncRetryPolicy.FirstRetryDelay).WaitAsync(TimeSpan.FromSeconds(20));

        var stopping = gateway.StopAsync();
        try
        {
            await Eventually.HoldsAsync(
                () => gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo was dropped: the gateway stopped before it could run again"),
                TimeSpan.FromSeconds(5));
            Assert.False(busy.IsCompleted);
            Assert.Equal(0, PendingOf(gateway));
        }
        finally
        {
            release.TrySetResult();
        }

        Assert.Equal(HttpStatusCode.OK, (await busy).StatusCode);
        await stopping;
        Assert.Equal(2, worker.Received.Count);
    }
}
