using System.Net;
using System.Text.Json;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Gateway.Tests.RuntimeApi.LambdaFunction;

namespace Gateway.Tests.RuntimeApi;

/// <summary>Replies the runtime API refuses, with Lambda's statuses: late, for an earlier attempt, for an id it did not hand out or no longer holds, over the response limit.</summary>
public sealed class LambdaRefusedReplyTests
{
    [Fact]
    public async Task AReplyAfterItsInvocationTimedOut_Is410InvokeTimeout_AsLambdaAnswersIt()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:10"), time);
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var id = await TakeNextAsync(runtime);

        time.Advance(TimeSpan.FromSeconds(11));
        using var response = await invoked.WaitAsync(Bound);
        using var late = await runtime.PostAsync($"invocation/{id}/response", new StringContent("\"late\"")).WaitAsync(Bound);
        using var unknown = await runtime.PostAsync("invocation/never-handed-out/response", new StringContent("\"late\"")).WaitAsync(Bound);

        Assert.Equal("FunctionTimeoutError", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Equal("""{"errorMessage":"Invoke timeout","errorType":"InvokeTimeout"}""", await late.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    /// <remarks>
    /// An asynchronous invocation runs again under its request id; the runtime clients of 2026 echo the invocation id
    /// <c>next</c> gave them, so the late reply of the attempt that timed out is not taken for the next attempt's.
    /// </remarks>
    [Fact]
    public async Task AReplyEchoingAnEarlierAttemptsInvocationId_Is410_AndTheAttemptInFlightWaitsForItsOwn()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:10"), time);
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2015-03-31/functions/echo/invocations") { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        using var accepted = await gateway.Client.SendAsync(request).WaitAsync(Bound);

        using var first = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        var secondPoll = runtime.GetAsync("invocation/next");
        time.Advance(TimeSpan.FromSeconds(11));
        await Eventually.HoldsAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(1));
            return secondPoll.IsCompleted;
        });
        using var second = await secondPoll;
        var id = second.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single();
        using var stale = await ReplyAsync(runtime, id, first.Headers.GetValues(LambdaRuntimeApiWire.InvocationIdHeader).Single());
        using var own = await ReplyAsync(runtime, id, second.Headers.GetValues(LambdaRuntimeApiWire.InvocationIdHeader).Single());

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(first.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single(), id);
        Assert.NotEqual(first.Headers.GetValues(LambdaRuntimeApiWire.InvocationIdHeader).Single(), second.Headers.GetValues(LambdaRuntimeApiWire.InvocationIdHeader).Single());
        Assert.Equal(HttpStatusCode.Gone, stale.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, own.StatusCode);
    }

    [Fact]
    public async Task AReplyWithAnInvocationId_ForAnInvocationNoPollTookYet_Is400_NotATimeout()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2015-03-31/functions/echo/invocations") { Content = new StringContent("{}") };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        using var accepted = await gateway.Client.SendAsync(request).WaitAsync(Bound);
        var id = accepted.Headers.GetValues("x-amzn-RequestId").Single();
        var mailbox = gateway.Services.GetRequiredService<FcGateway.Dispatch.Pull.RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);

        using var early = await ReplyAsync(runtime, id, "an-id-never-handed-out");
        var next = await LambdaFunction.AnswerNextAsync(runtime, "\"ok\"");

        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Equal(id, next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single());
    }

    private static async Task<HttpResponseMessage> ReplyAsync(HttpClient runtime, string id, string invocationId)
    {
        using var reply = new HttpRequestMessage(HttpMethod.Post, $"invocation/{id}/response") { Content = new StringContent("\"done\"") };
        reply.Headers.Add(LambdaRuntimeApiWire.InvocationIdHeader, invocationId);
        return await runtime.SendAsync(reply).WaitAsync(Bound);
    }

    /// <summary>
    /// Which refusal a second reply gets depends on where the invocation is, so the test puts it there: while the first
    /// reply is still being read the invocation is in flight and the second is Lambda's invalid state transition (403);
    /// once the client has its answer the invocation has left the runtime API (it leaves before the answer is written),
    /// and a reply names no invocation (400; Lambda's runtime interface emulator, which keeps its one runtime's state,
    /// answers a second reply before the next poll 403 instead).
    /// </summary>
    [Fact]
    public async Task Replies_ForAnUnknownId_WhileOneIsRead_OrAfterTheInvocationEnded_AreRefused_WithLambdasStatuses()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var triggered = gateway.Client.GetAsync("/echo/");
        var id = await TakeNextAsync(runtime);
        var invocation = gateway.Services.GetRequiredService<FcGateway.Dispatch.Pull.RuntimeApiDirectory>().Find(PullFunction.Name, id)!;

        using var unknown = await runtime.PostAsync("invocation/1-00000000-000000000000000000000000/response", new StringContent("{}"));
        using var first = await LambdaFunction.StartChunkedAsync(gateway.RuntimeApi(), $"invocation/{id}/response", "\"fir");
        await Eventually.HoldsAsync(() => invocation.Output.WrittenCount > 0);
        using var whileTheFirstIsRead = await runtime.PostAsync($"invocation/{id}/error", new StringContent("{}"));
        var firstStatus = await LambdaFunction.FinishChunkedAsync(first, "st\"");
        var response = await triggered.WaitAsync(Bound);
        using var afterTheEnd = await runtime.PostAsync($"invocation/{id}/response", new StringContent("\"late\""));
        using var nobody = LambdaFunction.RuntimeClient(gateway.RuntimeApi("nobody"));
        using var unknownFunction = await nobody.PostAsync("init/error", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("InvalidRequestID", await ErrorTypeOfAsync(unknown));
        Assert.Equal(HttpStatusCode.Forbidden, whileTheFirstIsRead.StatusCode);
        Assert.Equal("InvalidStateTransition", await ErrorTypeOfAsync(whileTheFirstIsRead));
        Assert.Equal(202, firstStatus);
        Assert.Equal("\"first\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, afterTheEnd.StatusCode);
        Assert.Equal("InvalidRequestID", await ErrorTypeOfAsync(afterTheEnd));
        Assert.Equal(HttpStatusCode.NotFound, unknownFunction.StatusCode);
    }

    [Fact]
    public async Task AReplyOverTheResponseLimit_Is413_RequestEntityTooLarge_AndFailsTheInvocation()
    {
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Limits:MaxResponseBodyBytes", "1024"));
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var triggered = gateway.Client.GetAsync("/echo/");
        var id = await TakeNextAsync(runtime);

        using var refused = await runtime.PostAsync($"invocation/{id}/response", new StringContent(new string('o', 1025)));
        using var response = await triggered.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("RequestEntityTooLarge", await ErrorTypeOfAsync(refused));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    private static async Task<string?> ErrorTypeOfAsync(HttpResponseMessage refusal) =>
        JsonDocument.Parse(await refusal.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString();
}
