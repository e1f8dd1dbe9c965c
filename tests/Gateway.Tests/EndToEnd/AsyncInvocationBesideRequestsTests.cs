using System.Net;
using System.Text;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Scheduling;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Tests.EndToEnd.AsyncInvokeApi;

namespace Gateway.Tests.EndToEnd;

/// <summary>Asynchronous invocations wait for an instance behind the requests to the same function, not in their place in its queue.</summary>
public sealed class AsyncInvocationBesideRequestsTests
{
    /// <remarks>Before, the burst took half the queue and the attempts beyond it were refused, to run again seconds later.</remarks>
    [Fact]
    public async Task Async_ABurstOnABusyPushedFunction_WaitsBehindRequests_InALineTheQueueLengthDoesNotBound()
    {
        var release = new TaskCompletionSource();
        await using var worker = await HeldWorkerAsync(release);
        await using var gateway = await TestGateway.ForWorkerAsync(
            worker, configure: c => c.Set("Gateway:Functions:echo:InstanceConcurrency", "1").Set("Gateway:Functions:echo:MaxQueueLength", "1"),
            timeProvider: new WatchedTimeProvider());
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf("echo");

        for (var i = 0; i < 6; i++)
        {
            await AcceptedAsync(gateway);
        }

        await Eventually.HoldsAsync(() => queue.Queued == 5);
        var request = gateway.Client.PostAsync(InvocationsPath, new StringContent("sync"));
        await Eventually.HoldsAsync(() => queue.Queued == 6 || request.IsCompleted);
        release.SetResult();

        Assert.Equal(HttpStatusCode.OK, (await request).StatusCode);
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);
        Assert.Equal("sync", Encoding.UTF8.GetString(worker.Received.ElementAt(1).Body));
        Assert.Equal(7, worker.Received.Count);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("runs again", StringComparison.Ordinal));
    }

    /// <remarks>
    /// Before, the request was refused at once (no queue, the slot held): a burst of asynchronous invocations kept every
    /// slot busy, and requests to a function with a short queue were refused for the whole drain (probe49d: 1,039 of 1,089
    /// requests 429 with <c>MaxQueueLength</c> 1, 143 of 284 before the line).
    /// </remarks>
    [Fact]
    public async Task Async_HoldingThePushedFunctionsOnlySlot_LetsARequestWaitForIt_EvenWithNoQueue_ButOnlyOne()
    {
        var release = new TaskCompletionSource();
        await using var worker = await HeldWorkerAsync(release);
        await using var gateway = await TestGateway.ForWorkerAsync(
            worker, configure: c => c.Set("Gateway:Functions:echo:InstanceConcurrency", "1").Set("Gateway:Functions:echo:MaxQueueLength", "0"),
            timeProvider: new WatchedTimeProvider());
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf("echo");
        await AcceptedAsync(gateway);
        await AcceptedAsync(gateway);
        await Eventually.HoldsAsync(() => queue.Queued == 1);

        var request = gateway.Client.PostAsync(InvocationsPath, new StringContent("sync"));
        await Eventually.HoldsAsync(() => queue.Queued == 2 || request.IsCompleted);
        var beyond = await gateway.Client.PostAsync(InvocationsPath, new StringContent("beyond"));
        release.SetResult();

        Assert.Equal(HttpStatusCode.OK, (await request).StatusCode);
        await ErrorPathTests.AssertGatewayErrorAsync(beyond, HttpStatusCode.TooManyRequests, "ResourceExhausted");
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);
        Assert.Equal("sync", Encoding.UTF8.GetString(worker.Received.ElementAt(1).Body));
        Assert.Equal(3, worker.Received.Count);
    }

    /// <remarks>Before, the request was refused at once: no poll waited, and the function has no queue.</remarks>
    [Fact]
    public async Task Async_RunByTheOnlyPullingWorker_LetsARequestWaitForItsNextPoll_EvenWithNoQueue_ButOnlyOne()
    {
        await using var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:MaxQueueLength", "0"), new WatchedTimeProvider());
        var mailbox = gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf("echo");
        await AcceptedAsync(gateway);
        using var runtimeApi = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        using var asynchronous = await runtimeApi.GetAsync("next");

        var request = gateway.Client.PostAsync(InvocationsPath, new StringContent("sync"));
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1 || request.IsCompleted);
        Assert.False(request.IsCompleted);
        var beyond = await gateway.Client.PostAsync(InvocationsPath, new StringContent("beyond"));
        using var answered = await runtimeApi.PostAsync($"{asynchronous.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("{}"));
        using var next = await runtimeApi.GetAsync("next");
        using var answeredToo = await runtimeApi.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("{}"));

        Assert.Equal("sync", await next.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await request).StatusCode);
        await ErrorPathTests.AssertGatewayErrorAsync(beyond, HttpStatusCode.TooManyRequests, "ResourceExhausted");
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);
    }

    [Fact]
    public async Task Async_ABurstOnAPullFunctionWithNoWorkerPolling_WaitsBehindARequest_WhichThePollTakesFirst()
    {
        await using var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:MaxQueueLength", "1"), new WatchedTimeProvider());
        var mailbox = gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf("echo");

        for (var i = 0; i < 4; i++)
        {
            await AcceptedAsync(gateway);
        }

        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 4);
        var request = gateway.Client.PostAsync(InvocationsPath, new StringContent("sync"));
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 5 || request.IsCompleted);
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Task.FromResult("{}"u8.ToArray()));

        Assert.Equal(HttpStatusCode.OK, (await request).StatusCode);
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);
        Assert.Equal("sync", Encoding.UTF8.GetString(worker.Received.First().Body));
        Assert.Equal(5, worker.Received.Count);
    }
}
