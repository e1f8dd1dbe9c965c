using System.Net;
using System.Text;
using System.Text.Json;
using FcGateway.Dispatch.Pull;
using FcGateway.RuntimeApi;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.RuntimeApi;

/// <summary>Functions whose workers pull their invocations (wire contract §13), driven through HTTP triggers and the invocation API.</summary>
public sealed class RuntimeApiTests
{
    private const string InvokePath = "/2023-03-30/functions/echo/invocations";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task HttpTrigger_PulledByAWorker_AnswersWithTheFunctionsOutput()
    {
        await using var gateway = await PullFunction.StartAsync();
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ =>
            Task.FromResult("""{"statusCode":201,"headers":{"X-Answer":"yes"},"body":"made"}"""u8.ToArray()));

        var response = await gateway.Client.PostAsync("/echo/items?a=1", new StringContent("hello", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("X-Answer").Single());
        Assert.Equal("made", await response.Content.ReadAsStringAsync());
        var received = Assert.Single(worker.Received);
        Assert.Equal(response.Headers.GetValues("X-Fc-Request-Id").Single(), received.Headers["x-fc-request-id"]);
        var @event = JsonDocument.Parse(received.Body).RootElement;
        Assert.Equal("POST", @event.GetProperty("requestContext").GetProperty("http").GetProperty("method").GetString());
        Assert.Equal("/echo/items", @event.GetProperty("rawPath").GetString());
        Assert.Equal("hello", @event.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Next_CarriesEveryHeaderTheGoSdkReads()
    {
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Timeout", "00:00:07")
            .Set("Gateway:Functions:echo:MemorySize", "256")
            .Set("Gateway:Functions:echo:Handler", "main")
            .Set("Gateway:Functions:echo:Credentials:AccessKeyId", "AKID"));
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Task.FromResult("{}"u8.ToArray()));
        var before = DateTimeOffset.UtcNow;

        await gateway.Client.GetAsync("/echo/");

        var headers = Assert.Single(worker.Received).Headers;
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(headers["x-fc-function-deadline"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.InRange(deadline, before.AddSeconds(6), DateTimeOffset.UtcNow.AddSeconds(8));
        Assert.Equal("7", headers["x-fc-function-timeout"]);
        Assert.Equal("0", headers["x-fc-function-type"]);
        Assert.Equal("echo", headers["x-fc-function-name"]);
        Assert.Equal("main", headers["x-fc-function-handler"]);
        Assert.Equal("256", headers["x-fc-function-memory"]);
        Assert.Equal("cn-test", headers["x-fc-region"]);
        Assert.Equal("1234567890", headers["x-fc-account-id"]);
        Assert.Equal("LATEST", headers["x-fc-qualifier"]);
        Assert.Equal("LATEST", headers["x-fc-version-id"]);
        Assert.Equal("0", headers["x-fc-retry-count"]);
        Assert.Equal("AKID", headers["x-fc-access-key-id"]);
        Assert.False(headers.ContainsKey("x-fc-security-token"));
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", headers["traceparent"]);
    }

    [Fact]
    public async Task FunctionError_ThroughATrigger_Is502_ThroughTheInvocationApi_IsTheErrorDocument()
    {
        await using var gateway = await PullFunction.StartAsync();
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => throw new InvalidOperationException("boom"));

        var triggered = await gateway.Client.GetAsync("/echo/");
        var invoked = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.BadGateway, triggered.StatusCode);
        Assert.Equal("Internal Server Error", await triggered.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Equal("UnhandledInvocationError", invoked.Headers.GetValues("X-Fc-Error-Type").Single());
        Assert.Equal("boom", JsonDocument.Parse(await invoked.Content.ReadAsStringAsync()).RootElement.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task AnErrorWithoutABody_ThroughATrigger_Is502_ThroughTheInvocationApi_IsAnErrorDocument()
    {
        await using var gateway = await PullFunction.StartAsync();
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };

        var triggered = gateway.Client.GetAsync("/echo/");
        var triggerReply = await AnswerNextWithAnEmptyErrorAsync(runtime);
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var invokeReply = await AnswerNextWithAnEmptyErrorAsync(runtime);

        Assert.Equal(HttpStatusCode.OK, triggerReply);
        Assert.Equal(HttpStatusCode.OK, invokeReply);
        var invokeResponse = await FunctionErrorResponses.AssertAsync(triggered, invoked, Bound);
        Assert.Equal("application/json", invokeResponse.Content.Headers.ContentType!.MediaType);
        var error = JsonDocument.Parse(await invokeResponse.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("UnknownError", error.GetProperty("errorType").GetString());
        Assert.Equal("The function failed (runtime API error).", error.GetProperty("errorMessage").GetString());
    }

    [Fact]
    public async Task InvocationApi_PassesTheBodyUnchanged_AndReturnsTheOutput()
    {
        await using var gateway = await PullFunction.StartAsync();
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), request => Task.FromResult(request.Body.Reverse().ToArray()));

        var response = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new ByteArrayContent([1, 2, 3, 0xFF]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new byte[] { 0xFF, 3, 2, 1 }, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(new byte[] { 1, 2, 3, 0xFF }, Assert.Single(worker.Received).Body);
    }

    [Fact]
    public async Task Replies_ForAnUnknownId_AnotherFunction_OrASecondTime_AreRefused_AndChangeNothing()
    {
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("ReverseProxy:Routes:other:Match:Path", "/other/{**rest}")
            .Set("ReverseProxy:Routes:other:Metadata:FunctionName", "other")
            .Set("Gateway:Functions:other:RuntimeApi", "fc"));
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        using var otherRuntime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi("other")}/2020-11-11/runtime/invocation/") };
        var client = gateway.Client.GetAsync("/echo/");
        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        var id = next.Headers.GetValues("x-fc-request-id").Single();

        var unknown = await runtime.PostAsync("1-00000000-000000000000000000000000/response", new StringContent("x"));
        var otherFunction = await otherRuntime.PostAsync($"{id}/response", new StringContent("x"));
        var first = await runtime.PostAsync($"{id}/response", new StringContent("""{"statusCode":200,"body":"first"}"""));
        var response = await client.WaitAsync(Bound);

        // The invocation left the runtime API before the client's answer was written: later replies find nothing.
        var second = await runtime.PostAsync($"{id}/response", new StringContent("""{"statusCode":200,"body":"second"}"""));
        var error = await runtime.PostAsync($"{id}/error", new StringContent("""{"errorMessage":"late"}"""));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherFunction.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("first", await response.Content.ReadAsStringAsync());
    }

    /// <remarks>The function's name in the address is the worker's text too, as the id beside it.</remarks>
    [Fact]
    public async Task AReplyAtAnUnknownFunction_IsLoggedWithItsNameEscapedAndBounded()
    {
        await using var gateway = await PullFunction.StartAsync();
        var function = string.Concat(Enumerable.Repeat("%1B", 2500));
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi(function)}/2020-11-11/runtime/invocation/") };

        using var refused = await runtime.PostAsync("some-id/response", new StringContent("x"));

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("\\u001b\\u001b"));
        var logged = gateway.Logs.Lines.Single(line => line.Contains("\\u001b", StringComparison.Ordinal));
        Assert.InRange(logged.Length, 0, FcGateway.LogText.MaxFieldLength + 512);
        Assert.Contains("(2500 characters in all)", logged, StringComparison.Ordinal);
    }

    /// <remarks>The id is the worker's text, bounded only by the server's limit on a request line (8 KB).</remarks>
    [Fact]
    public async Task AReplyForAnUnknownInvocation_IsLoggedWithItsIdEscapedAndBounded()
    {
        await using var gateway = await PullFunction.StartAsync();
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        var id = string.Concat(Enumerable.Repeat("%1B", 2500));

        using var refused = await runtime.PostAsync($"{id}/response", new StringContent("x"));

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("\\u001b\\u001b"));
        var logged = gateway.Logs.Lines.Single(line => line.Contains("\\u001b", StringComparison.Ordinal));
        Assert.InRange(logged.Length, 0, FcGateway.LogText.MaxFieldLength + 512);
        Assert.Contains("(2500 characters in all)", logged, StringComparison.Ordinal);
    }

    /// <summary>
    /// Kestrel sees a worker that goes away in the middle of its reply (closing its connection, or resetting it) either
    /// as a failed body read (the body ended before its Content-Length or its last chunk) or as the request aborted, in
    /// either order: the death is repeated so that both are met, and each must be the worker's crash, not a reply that is
    /// not HTTP (aws-lambda-go replies chunked), and leave no error in the log (Kestrel's drain of a body whose read was
    /// cancelled by its token fails, logging one).
    /// </summary>
    [Theory]
    [InlineData("Content-Length: 100", "0123456789", false)]
    [InlineData("Transfer-Encoding: chunked", "64\r\n0123456789", false)]
    [InlineData("Content-Length: 100", "0123456789", true)]
    [InlineData("Transfer-Encoding: chunked", "64\r\n0123456789", true)]
    public async Task AWorker_ThatDiesInTheMiddleOfItsReply_HasCrashed(string framing, string sentBeforeDying, bool reset)
    {
        await using var gateway = await PullFunction.StartAsync();
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };

        // Ten times: Kestrel reports the early end before or after it sees the connection gone, and both must count.
        for (var death = 0; death < 10; death++)
        {
            var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
            using var next = await runtime.GetAsync("next").WaitAsync(Bound);
            var reply = new Uri(runtime.BaseAddress, $"{next.Headers.GetValues("x-fc-request-id").Single()}/response");
            var head = $"POST {reply.AbsolutePath} HTTP/1.1\nHost: {reply.Authority}\n{framing}\n\n";
            if (reset)
            {
                // Reset once the gateway has had time to take what was sent (a reset drops what the gateway's host has
                // received and the gateway not yet read: the reply would never have come) and waits for the rest.
                await RawHttp.SendAndResetAsync(runtime.BaseAddress.ToString(), head, Encoding.ASCII.GetBytes(sentBeforeDying), _ => Task.Delay(50 + (100 * (death % 3))));
            }
            else
            {
                await RawHttp.SendAndCloseAsync(runtime.BaseAddress.ToString(), head, Encoding.ASCII.GetBytes(sentBeforeDying));
            }

            var response = await invoked.WaitAsync(Bound);

            Assert.Equal("ProcessExitedError", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
        }

        await gateway.StopAsync();
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReply_WithMalformedChunkedFraming_Is400_AndABadResponse()
    {
        await using var gateway = await PullFunction.StartAsync();
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        var reply = new Uri(runtime.BaseAddress, $"{next.Headers.GetValues("x-fc-request-id").Single()}/response");

        var refused = await RawHttp.SendAsync(runtime.BaseAddress.ToString(), $"POST {reply.AbsolutePath} HTTP/1.1\nHost: {reply.Authority}\nTransfer-Encoding: chunked\n\n", "zz\r\nabc\r\n"u8.ToArray());
        var response = await invoked.WaitAsync(Bound);

        Assert.Equal(400, refused.StatusCode);
        Assert.Equal("InvalidResponseError", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
    }

    [Theory]
    [InlineData(1024, 200)]
    [InlineData(1025, 413)]
    public async Task AReply_OfDeclaredLength_IsTakenUpToTheResponseLimitExactly(int length, int status)
    {
        await using var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Limits:MaxResponseBodyBytes", "1024"));
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        var output = new string('o', length);

        using var answer = await runtime.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent(output)).WaitAsync(Bound);
        var response = await invoked.WaitAsync(Bound);

        Assert.Equal(status, (int)answer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (status == 200)
        {
            Assert.Equal(output, await response.Content.ReadAsStringAsync());
        }
        else
        {
            // FC's runtime API names no error type for a refusal (Lambda's does): the message alone says why.
            Assert.False(JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.TryGetProperty("errorType", out _));
            Assert.Equal("InvalidResponseError", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
        }
    }

    [Fact]
    public async Task NoWorkerPolling_IsAnswered503_WhenTheFunctionTimeoutPasses()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:10"), time);

        var response = gateway.Client.GetAsync("/echo/");
        var mailbox = gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);
        time.Advance(TimeSpan.FromSeconds(11));

        await ErrorPathTests.AssertGatewayErrorAsync(await response.WaitAsync(Bound), HttpStatusCode.ServiceUnavailable, "ResourceThrottled");
    }

    /// <summary>
    /// The SDKs cancel a function at the deadline its <c>next</c> gave (in whole milliseconds) and report the error, which
    /// may come before the gateway's own timer fires: an error within the timers' granularity of the deadline is the
    /// invocation's timeout, one well before it the function's own. Either reply is taken.
    /// </summary>
    [Theory]
    [InlineData(5, true)]
    [InlineData(1000, false)]
    public async Task AnErrorThatComesAsTheDeadlinePasses_IsATimeout(int millisecondsBeforeTheDeadline, bool isATimeout)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var taken = await TakeAnInvocationAsync(time);

        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(millisecondsBeforeTheDeadline));
        using var error = await taken.Runtime.PostAsync($"{taken.Id}/error", new StringContent("""{"errorMessage":"context deadline exceeded"}""")).WaitAsync(Bound);
        using var response = await taken.Answer.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        await ErrorPathTests.AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => taken.Gateway.Logs.Contains(isATimeout ? "Function time out after 10 seconds." : "context deadline exceeded"));
        Assert.Equal(isATimeout, taken.Gateway.Logs.Contains("Function time out after"));
    }

    [Fact]
    public async Task AReplyAfterTheDeadline_IsRefused_AndTheClientGotTheTimeout()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var taken = await TakeAnInvocationAsync(time);

        time.Advance(TimeSpan.FromSeconds(11));
        var response = await taken.Answer.WaitAsync(Bound);
        var late = await taken.Runtime.PostAsync($"{taken.Id}/response", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, late.StatusCode);
    }

    /// <remarks>
    /// The SDK cancels the handler's context at the deadline it was told with <c>next</c>, and the handler answers with that
    /// error; the gateway's own timer may run late on a loaded machine (a clock whose timers never fire stands for it). The
    /// reply, bounded by the deadline, is not read: the invocation timed out, and the worker's connection is dropped.
    /// </remarks>
    [Fact]
    public async Task AnErrorThatComesOnceTheTimeIsUp_IsATimeout_ThoughTheGatewaysTimerIsLate()
    {
        var clock = new LateTimersClock();
        await using var taken = await TakeAnInvocationAsync(clock);

        clock.Advance(TimeSpan.FromSeconds(10));
        var reply = taken.Runtime.PostAsync($"{taken.Id}/error",
            new StringContent("""{"errorMessage":"context deadline exceeded","errorType":"DeadlineExceeded"}"""));
        var response = await taken.Answer.WaitAsync(Bound);

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        await Assert.ThrowsAsync<HttpRequestException>(() => reply.WaitAsync(Bound));
        await Eventually.HoldsAsync(() => taken.Gateway.Logs.Contains("Function time out after 10 seconds (while it sent its reply)."));
    }

    /// <remarks>
    /// FC counts the function timeout from when the worker gets the invocation, not from the request: a worker that polls
    /// 8 s into a 10 s timeout still has 10 s, and its reply after 9 more is in time, one after 11 more is not.
    /// </remarks>
    [Theory]
    [InlineData(9, true)]
    [InlineData(11, false)]
    public async Task AWorkerThatPollsLate_HasTheWholeTimeout_FromTheHandOff(int secondsToReply, bool inTime)
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:10"), time);
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        var client = gateway.Client.GetAsync("/echo/");
        var mailbox = gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);
        time.Advance(TimeSpan.FromSeconds(8));

        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        var deadline = long.Parse(next.Headers.GetValues("x-fc-function-deadline").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var handedOff = time.GetUtcNow();
        time.Advance(TimeSpan.FromSeconds(secondsToReply));
        var answered = inTime ? null : await client.WaitAsync(Bound);
        using var reply = await runtime.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/response",
            new StringContent("""{"statusCode":200,"body":"in time"}""")).WaitAsync(Bound);
        var response = answered ?? await client.WaitAsync(Bound);

        Assert.Equal(handedOff.AddSeconds(10).ToUnixTimeMilliseconds(), deadline);
        Assert.Equal(inTime ? HttpStatusCode.OK : HttpStatusCode.NotFound, reply.StatusCode);
        Assert.Equal(inTime ? HttpStatusCode.OK : HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task NoWorkerPolling_AndNoQueue_Is429()
    {
        await using var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:MaxQueueLength", "0"));

        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.TooManyRequests, "ResourceExhausted");
    }

    [Fact]
    public async Task TheListeners_AreApart_ClientsCannotPoll_WorkersCannotTrigger()
    {
        await using var gateway = await PullFunction.StartAsync();
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.Services.GetRequiredService<RuntimeApiServer>().Address!.Authority}") };

        var pollOnClientListener = await gateway.Client.GetAsync("/functions/echo/2020-11-11/runtime/invocation/next");
        var triggerOnRuntimeApi = await runtime.GetAsync("/echo/");

        await ErrorPathTests.AssertGatewayErrorAsync(pollOnClientListener, HttpStatusCode.NotFound, "FunctionNotFound");
        Assert.Equal(HttpStatusCode.NotFound, triggerOnRuntimeApi.StatusCode);
    }

    /// <summary>
    /// No invocation can ever come to this poll: it must wait on a timer of the pause before it is answered (an answer
    /// at once would win the race below), and its 404 comes once the clock has moved by the pause.
    /// </summary>
    [Fact]
    public async Task Polling_APushedFunction_Is404_OnlyOnceThePauseHasPassed()
    {
        var time = new WatchedTimeProvider();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:RuntimeApi:Urls", "http://127.0.0.1:0"), timeProvider: time);
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        var paused = time.TimerSet(RuntimeApiEndpoints.RefusedPollDelay);

        var next = runtime.GetAsync("next");
        Assert.Same(paused, await Task.WhenAny(paused, next).WaitAsync(Bound));
        time.Advance(RuntimeApiEndpoints.RefusedPollDelay);

        Assert.Equal(HttpStatusCode.NotFound, (await next.WaitAsync(Bound)).StatusCode);
    }

    [Fact]
    public async Task WithoutAPullFunction_TheRuntimeApiDoesNotListen()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        Assert.Null(gateway.Services.GetRequiredService<RuntimeApiServer>().Address);
    }

    [Fact]
    public async Task Readiness_CountsTheWorkersPolling()
    {
        await using var gateway = await PullFunction.StartAsync();

        var alone = await gateway.Client.GetAsync("/readyz");
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Task.FromResult("{}"u8.ToArray()));
        var mailbox = gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.WaitingPolls == 1);
        var polled = await gateway.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, alone.StatusCode);
        Assert.Equal(0, JsonDocument.Parse(await alone.Content.ReadAsStringAsync()).RootElement.GetProperty("availableInstances").GetProperty("echo").GetInt32());
        Assert.Equal(HttpStatusCode.OK, polled.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await polled.Content.ReadAsStringAsync()).RootElement.GetProperty("availableInstances").GetProperty("echo").GetInt32());
    }

    /// <summary>
    /// A client's request to the pulled function (its timeout 10 s, counted by <paramref name="time"/>), taken by a poll of
    /// the FC runtime API.
    /// </summary>
    private static async Task<TakenInvocation> TakeAnInvocationAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider time)
    {
        var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:10"), time);
        var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        var answer = gateway.Client.GetAsync("/echo/");
        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        return new TakenInvocation(gateway, runtime, answer, next.Headers.GetValues("x-fc-request-id").Single());
    }

    private static async Task<HttpStatusCode> AnswerNextWithAnEmptyErrorAsync(HttpClient runtime)
    {
        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        using var answered = await runtime.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/error", new ByteArrayContent([]));
        return answered.StatusCode;
    }

    /// <summary>The gateway, its runtime API's client, the client's answer to come, and the id of the invocation a poll took.</summary>
    private sealed record TakenInvocation(TestGateway Gateway, HttpClient Runtime, Task<HttpResponseMessage> Answer, string Id) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Runtime.Dispose();
            await Gateway.DisposeAsync();
        }
    }
}
