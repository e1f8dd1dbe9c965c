using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Edge.InvokeApi;
using Gateway.Tests.Diagnostics;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.EndToEnd;

/// <summary>The invocation API's <c>x-fc-invocation-type: Async</c>: 202 at once, the function run in the background.</summary>
public sealed class AsyncInvokeApiTests
{
    private const string InvocationsPath = "/2023-03-30/functions/echo/invocations";
    private const int SucceededEventId = 90;
    private const int FailedEventId = 92;

    [Fact]
    public async Task Async_Returns202WithTheRequestId_ThenRunsTheFunctionWithTheBodyUnchanged()
    {
        await using var worker = await TestWorker.ReturningAsync("ignored output");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        byte[] payload = [0, 1, 2, 0xff, (byte)'{'];

        var response = await gateway.Client.SendAsync(AsyncInvocation(payload));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var requestId = response.Headers.GetValues("X-Fc-Request-Id").Single();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo succeeded (attempt 1)."));
        var received = Assert.Single(worker.Received);
        Assert.Equal("/invoke", received.Path);
        Assert.Equal(payload, received.Body);
        Assert.Equal(requestId, received.Header("x-fc-request-id"));
        Assert.Equal("echo", received.Header("x-fc-function-name"));
    }

    [Fact]
    public async Task Async_BodyOverTheAsyncLimit_Is400EntityTooLarge_AndNeverRuns_WhileSyncKeepsItsOwnLimit()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Limits:MaxAsyncRequestBodyBytes", "16"));

        var atTheLimit = await gateway.Client.SendAsync(AsyncInvocation(new byte[16]));
        var overTheLimit = await gateway.Client.SendAsync(AsyncInvocation(new byte[17]));
        using var chunked = AsyncInvocation(new byte[17]);
        chunked.Headers.TransferEncodingChunked = true;
        var chunkedOverTheLimit = await gateway.Client.SendAsync(chunked);
        var synchronous = await gateway.Client.PostAsync(InvocationsPath, new ByteArrayContent(new byte[17]));

        Assert.Equal(HttpStatusCode.Accepted, atTheLimit.StatusCode);
        await ErrorPathTests.AssertGatewayErrorAsync(overTheLimit, HttpStatusCode.BadRequest, "EntityTooLarge");
        Assert.Contains("16 bytes", await overTheLimit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await ErrorPathTests.AssertGatewayErrorAsync(chunkedOverTheLimit, HttpStatusCode.BadRequest, "EntityTooLarge");
        Assert.Equal(HttpStatusCode.OK, synchronous.StatusCode);
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);
        Assert.Equal([16, 17], worker.Received.Select(request => request.Body.Length).Order());
    }

    [Fact]
    public async Task Async_WithMaxPendingAlreadyAccepted_Is429ResourceExhausted_AndRoomReturnsOnceOneFinishes()
    {
        var release = new TaskCompletionSource();
        await using var worker = await HeldWorkerAsync(release);
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:InvokeApi:MaxPendingAsyncInvocations", "1"));

        var accepted = await gateway.Client.SendAsync(AsyncInvocation([1]));
        var refused = await gateway.Client.SendAsync(AsyncInvocation([2]));
        release.SetResult();
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);
        var acceptedAgain = await gateway.Client.SendAsync(AsyncInvocation([3]));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await ErrorPathTests.AssertGatewayErrorAsync(refused, HttpStatusCode.TooManyRequests, "ResourceExhausted");
        Assert.Equal(HttpStatusCode.Accepted, acceptedAgain.StatusCode);
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);
        Assert.Equal([1, 3], worker.Received.Select(request => (int)request.Body.Single()).Order());
    }

    /// <summary>A function whose invocations cannot run (held here; in life, no instance for up to a day) fills its own budget only.</summary>
    [Fact]
    public async Task Async_MaxPending_IsCountedPerFunction()
    {
        var release = new TaskCompletionSource();
        await using var worker = await HeldWorkerAsync(release);
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.WithFunction("other", worker.Url)
            .Set("Gateway:InvokeApi:MaxPendingAsyncInvocations", "1"));

        var accepted = await gateway.Client.SendAsync(AsyncInvocation([1]));
        var refused = await gateway.Client.SendAsync(AsyncInvocation([2]));
        using var other = new HttpRequestMessage(HttpMethod.Post, "/2023-03-30/functions/other/invocations") { Content = new ByteArrayContent([3]) };
        other.Headers.Add("x-fc-invocation-type", "Async");
        var acceptedForTheOther = await gateway.Client.SendAsync(other);
        release.SetResult();
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await ErrorPathTests.AssertGatewayErrorAsync(refused, HttpStatusCode.TooManyRequests, "ResourceExhausted");
        Assert.Contains("of function echo are pending already", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, acceptedForTheOther.StatusCode);
        Assert.Equal([1, 3], worker.Received.Select(request => (int)request.Body.Single()).Order());
    }

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

    [Fact]
    public async Task Async_RunsInATraceOfItsOwn_LinkedToTheRequestThatAcceptedIt()
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var requestId = await AcceptedAsync(gateway);
        var accepted = await spans.FindAsync(span => IsInvocationSpan(span, requestId, "http"));
        var attempt = await spans.FindAsync(span => IsInvocationSpan(span, requestId, "other"));

        Assert.Equal(202, accepted.GetTagItem("http.response.status_code"));
        Assert.NotEqual(accepted.TraceId, attempt.TraceId);
        Assert.Equal(default, attempt.ParentSpanId);
        Assert.Equal(accepted.Context, Assert.Single(attempt.Links).Context);
        Assert.Equal("success", attempt.GetTagItem("fcgateway.outcome"));
        Assert.Equal("d0", attempt.GetTagItem("fcgateway.destination"));
        Assert.Equal("127.0.0.1", attempt.GetTagItem("server.address"));
        Assert.Equal(attempt.TraceId.ToHexString(), Assert.Single(worker.Received).Header("traceparent")?.Split('-')[1]);
    }

    [Fact]
    public async Task Async_HowAnAttemptEnded_IsLoggedInsideItsSpan()
    {
        using var spans = new RecordedSpans();
        var logs = new ScopedLogs();
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url);
        await using var gateway = await TestGateway.StartAsync(config.Values, builder => builder.Logging.AddProvider(logs));

        var requestId = await AcceptedAsync(gateway);
        var attempt = await spans.FindAsync(span => IsInvocationSpan(span, requestId, "other"));
        await Eventually.HoldsAsync(() => logs.Entries.Any(entry => entry.EventId.Id == SucceededEventId && entry.Message.Contains(requestId, StringComparison.Ordinal)));

        var succeeded = logs.Entries.Single(entry => entry.EventId.Id == SucceededEventId && entry.Message.Contains(requestId, StringComparison.Ordinal));
        Assert.Equal(attempt.TraceId.ToHexString(), succeeded.Scopes["TraceId"]);
        Assert.Equal(attempt.SpanId.ToHexString(), succeeded.Scopes["SpanId"]);
    }

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

    /// <summary>The attempt a reload's removal of the function prevents never ran: it is not counted among the attempts.</summary>
    [Fact]
    public async Task Async_WaitingForARetryWhenAReloadRemovesTheFunction_IsGivenUp_CountingTheAttemptsThatRan()
    {
        await using var worker = await FunctionErrorOnceWorkerAsync();
        var time = new WatchedTimeProvider();
        var editable = new EditableConfiguration(new GatewayConfiguration().WithFunction("echo", worker.Url).WithFunction("other", worker.Url).Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddSingleton<TimeProvider>(time);
        });

        var requestId = await AcceptedAsync(gateway);
        await time.TimerSet(AsyncRetryPolicy.FirstRetryDelay);
        editable.Remove("ReverseProxy:Routes:echo", "ReverseProxy:Clusters:echo");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        time.Advance(AsyncRetryPolicy.FirstRetryDelay);
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);

        Assert.True(gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo failed after 1 attempt(s): not_found (The function is no longer configured.)."));
        Assert.Single(worker.Received);
    }

    /// <summary>
    /// An invocation accepted just before the reload that removes its function takes effect (the endpoint found the
    /// function, the first attempt no longer does) never ran: the line says so, not "failed after 0 attempt(s)".
    /// </summary>
    [Fact]
    public async Task Async_WhoseFunctionAReloadRemovesBeforeItsFirstAttempt_IsLoggedAsNeverRun()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(new GatewayConfiguration().WithFunction("echo", worker.Url).WithFunction("other", worker.Url).Values);
        var logs = new ScopedLogs();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Logging.AddProvider(logs);
        });
        var settings = gateway.Services.GetRequiredService<GatewaySettingsMonitor>().Current;
        var cluster = gateway.Services.GetRequiredService<FunctionDirectory>().FindCluster("echo", settings);
        var target = new FunctionTarget("echo", settings, Assert.IsType<ClusterState>(cluster));

        editable.Remove("ReverseProxy:Routes:echo", "ReverseProxy:Clusters:echo");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        var payload = new PooledBuffer();
        payload.Write([7]);
        Assert.Equal(AsyncAcceptance.Accepted, gateway.Services.GetRequiredService<AsyncInvocations>().TryAccept("1-removed-before-it-ran", target, payload, maxPending: 10));
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);

        var line = Assert.Single(gateway.Logs.Lines, line => line.Contains("1-removed-before-it-ran", StringComparison.Ordinal));
        Assert.Equal(
            "Error FcGateway.Edge.InvokeApi.AsyncInvocations: Asynchronous invocation 1-removed-before-it-ran of function echo never ran: a reload removed the function before its first attempt.",
            line);
        Assert.Equal(FailedEventId, Assert.Single(logs.Entries, entry => entry.Message == line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..]).EventId.Id);
        Assert.Empty(worker.Received);
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

    private static HttpRequestMessage AsyncInvocation(byte[] payload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, InvocationsPath) { Content = new ByteArrayContent(payload) };
        request.Headers.Add("x-fc-invocation-type", "Async");
        return request;
    }

    /// <summary>Sends an asynchronous invocation, which must be accepted; its request id.</summary>
    internal static async Task<string> AcceptedAsync(TestGateway gateway)
    {
        var response = await gateway.Client.SendAsync(AsyncInvocation([7]));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.GetValues("X-Fc-Request-Id").Single();
    }

    /// <summary>A worker whose function fails its first invocation (404, an error body) and answers "ok" from then on.</summary>
    internal static Task<TestWorker> FunctionErrorOnceWorkerAsync()
    {
        var calls = 0;
        return TestWorker.StartAsync((context, _) => Interlocked.Increment(ref calls) == 1
            ? TestWorker.Reply(context, 404, "{\"errorMessage\":\"not yet\"}", fcStatus: "404")
            : TestWorker.Reply(context, 200, "ok", fcStatus: "200"));
    }

    /// <summary>A worker that answers each invocation once <paramref name="release"/> completes.</summary>
    private static Task<TestWorker> HeldWorkerAsync(TaskCompletionSource release) =>
        TestWorker.StartAsync(async (context, _) =>
        {
            await release.Task;
            await TestWorker.Reply(context, 200, "ok", fcStatus: "200");
        });

    /// <summary>The first wait after an attempt that found no instance: between half and all of the first retry delay.</summary>
    private static bool JitteredFirstWait(TimeSpan due) => due >= AsyncRetryPolicy.FirstRetryDelay / 2 && due <= AsyncRetryPolicy.FirstRetryDelay;

    private static bool IsInvocationSpan(Activity span, string requestId, string trigger) =>
        span.Source.Name == "FcGateway" && (string?)span.GetTagItem("faas.invocation_id") == requestId && (string?)span.GetTagItem("faas.trigger") == trigger;

    private static int PendingOf(TestGateway gateway) => gateway.Services.GetRequiredService<AsyncInvocations>().Pending;
}
