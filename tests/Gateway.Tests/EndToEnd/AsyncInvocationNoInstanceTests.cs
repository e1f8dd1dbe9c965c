using System.Net;
using FcGateway.Dispatch.Pull;
using FcGateway.Edge.InvokeApi;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Tests.EndToEnd.AsyncInvokeApi;

namespace Gateway.Tests.EndToEnd;

/// <summary>An asynchronous invocation that finds no worker to run it waits for one, backing off, for up to a day.</summary>
public sealed class AsyncInvocationNoInstanceTests
{
    /// <remarks>Before, with no queue to wait in (half of 0), the attempt was refused at once and ran again a second later.</remarks>
    [Fact]
    public async Task Async_NoWorkerPollingYet_WaitsForAPoll_EvenWithNoQueue_AndRunsOnTheFirstAttempt()
    {
        await using var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:MaxQueueLength", "0"), new WatchedTimeProvider());
        var mailbox = gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf("echo");

        var requestId = await AcceptedAsync(gateway);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Task.FromResult("{}"u8.ToArray()));

        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo succeeded (attempt 1)."));
    }

    [Fact]
    public async Task Async_NoWorkerPollingWithinTheTimeout_WaitsAJitteredBackoff_ThenRunsOnceOneIsThere()
    {
        var time = new WatchedTimeProvider();
        await using var gateway = await PullFunction.StartAsync(
            c => c.Set("Gateway:Functions:echo:Timeout", "00:00:05").Set($"Logging:LogLevel:{typeof(AsyncInvocations).FullName}", "Debug"), time);

        var requestId = await AcceptedAsync(gateway);
        await time.TimerSet(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(5));
        await time.TimerSet(JitteredFirstWait);
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Task.FromResult("{}"u8.ToArray()));
        await Eventually.HoldsAsync(() => gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf("echo").WaitingPolls == 1);
        time.Advance(AsyncRetryPolicy.FirstRetryDelay);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo succeeded (attempt 2)."));

        Assert.True(gateway.Logs.Contains($"Debug FcGateway.Edge.InvokeApi.AsyncInvocations: Asynchronous invocation {requestId} of function echo: attempt 1 ended no_instance"));
        Assert.Equal("0", Assert.Single(worker.Received).Headers["x-fc-retry-count"]);
    }

    /// <remarks>Before, the attempt was taken for one with no worker at all, and its waits grew towards a minute.</remarks>
    [Fact]
    public async Task Async_NoPollWithinTheTimeout_WhileTheWorkersRunRequests_EndsThrottled_NotAsAFunctionWithNoWorker()
    {
        var time = new WatchedTimeProvider();
        await using var gateway = await PullFunction.StartAsync(
            c => c.Set("Gateway:Functions:echo:Timeout", "00:00:05").Set($"Logging:LogLevel:{typeof(AsyncInvocations).FullName}", "Debug"), time);
        var mailbox = gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf("echo");
        var requestId = await AcceptedAsync(gateway);
        await time.TimerSet(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(1));
        var request = gateway.Client.PostAsync(InvocationsPath, new StringContent("sync"));
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 2);

        // One worker, which polls once: it takes the request, and runs it past the attempt's wait for a poll.
        using var runtimeApi = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        using var next = await runtimeApi.GetAsync("next");
        Assert.Equal("sync", await next.Content.ReadAsStringAsync());
        time.Advance(TimeSpan.FromSeconds(4));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo: attempt 1 ended throttled (Every worker of echo was busy for 00:00:05.)"));
        await time.TimerSet(JitteredFirstWait);
        using var answered = await runtimeApi.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.OK, (await request).StatusCode);
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Task.FromResult("{}"u8.ToArray()));
        time.Advance(AsyncRetryPolicy.FirstRetryDelay);

        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo succeeded (attempt 2)."));
    }

    [Fact]
    public async Task Async_NoWorkerToTakeItFor24Hours_IsGivenUp()
    {
        var time = new WatchedTimeProvider();
        await using var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:05"), time);

        var requestId = await AcceptedAsync(gateway);
        await time.TimerSet(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(5));
        await time.TimerSet(JitteredFirstWait);
        time.Advance(AsyncRetryPolicy.MaxAge);
        await time.TimerSet(TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(5));
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);

        Assert.True(gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo failed after 2 attempt(s): no_instance"));
    }
}
