using System.Globalization;
using System.Net;
using FcGateway.Dispatch.Pull;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Gateway.Tests.RuntimeApi.LambdaFunction;

namespace Gateway.Tests.RuntimeApi;

/// <summary>The Lambda runtime API 2018-06-01 (wire contract §14), driven by the test's own runtime client: what a poll of <c>next</c> carries, what an accepted reply is answered, and a poll in the other protocol.</summary>
public sealed class LambdaRuntimeApiTests
{
    [Fact]
    public async Task Next_CarriesTheLambdaHeaders_AndTheBodyUnchanged_AndA202ReplyIsTheOutput()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:07"), time);
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("""{"name":"seed"}"""));

        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        var id = next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single();
        using var reply = await runtime.PostAsync($"invocation/{id}/response", new StringContent("\"hello seed\""));
        var response = await invoked.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal("""{"name":"seed"}""", await next.Content.ReadAsStringAsync());
        Assert.Equal("application/json", next.Content.Headers.ContentType!.ToString());
        Assert.Equal(time.GetUtcNow().AddSeconds(7).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), next.Headers.GetValues(LambdaRuntimeApiWire.DeadlineHeader).Single());
        Assert.Equal("arn:aws:lambda:cn-test:1234567890:function:echo", next.Headers.GetValues(LambdaRuntimeApiWire.FunctionArnHeader).Single());
        Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=[01]$", next.Headers.GetValues(LambdaRuntimeApiWire.TraceIdHeader).Single());
        Assert.False(next.Headers.Contains("x-fc-request-id"));
        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, response.Headers.GetValues("X-Fc-Request-Id").Single());
        Assert.Equal("\"hello seed\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "Root=1-0af76519-16cd43dd8448eb211c80319c;Parent=")]
    public async Task TheClientsXRayTrace_IsContinuedInTheTraceId_UnlessItSentATraceParent(string? traceParent, string traceIdStart)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        if (traceParent is not null)
        {
            request.Headers.Add("traceparent", traceParent);
        }

        // A client of its own that never adds a traceparent: HttpClient adds one to every request while another test's
        // activity listener runs, which would decide the trace id instead of the X-Ray header.
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = new Uri(gateway.Url) };
        var triggered = client.SendAsync(request);
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        using var reply = await runtime.PostAsync($"invocation/{next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single()}/response", new StringContent("{}"));
        await triggered.WaitAsync(Bound);

        Assert.StartsWith(traceIdStart, next.Headers.GetValues(LambdaRuntimeApiWire.TraceIdHeader).Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lambda", "2020-11-11", "fc")]
    [InlineData("fc", "2018-06-01", "lambda")]
    public async Task Polling_InTheOtherProtocol_Is404_OnceThePauseHasPassed_SayingWhichToConfigure_LoggedOnce(string declared, string polledVersion, string polled)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:RuntimeApi", declared), time);
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/{polledVersion}/runtime/invocation/") };

        for (var poll = 0; poll < 2; poll++)
        {
            var next = runtime.GetAsync("next");
            await Eventually.HoldsAsync(async () =>
            {
                time.Advance(RuntimeApiEndpoints.RefusedPollDelay);
                return await Task.WhenAny(next, Task.Delay(50)) == next;
            });

            using var refused = await next;
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
            Assert.Contains($"set the function's RuntimeApi to {polled}", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Single(gateway.Logs.Lines, line => line.Contains("is configured for the", StringComparison.Ordinal) && line.Contains("a worker polls it with", StringComparison.Ordinal));
    }

    /// <summary>
    /// Lambda answers every accepted reply with the document <c>{"status":"OK"}</c>, which .NET's runtime client
    /// (Amazon.Lambda.RuntimeSupport) deserialises from the 202 of an <c>error</c> and an <c>init/error</c>: an empty body
    /// fails it with "Could not deserialize the response body."
    /// </summary>
    [Theory]
    [InlineData("response")]
    [InlineData("error")]
    [InlineData("init/error")]
    public async Task AnAcceptedReply_CarriesLambdasStatusDocument(string reply)
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var invoked = gateway.Client.PostAsync(InvokePath, new StringContent("{}"));
        var mailbox = gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);
        var path = reply == "init/error" ? reply : $"invocation/{await TakeNextAsync(runtime)}/{reply}";

        using var accepted = await runtime.PostAsync(path, new StringContent("""{"errorMessage":"m","errorType":"T"}"""));
        await invoked.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("application/json", accepted.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"status":"OK"}""", await accepted.Content.ReadAsStringAsync());
    }
}
