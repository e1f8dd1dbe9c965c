using System.Net;
using System.Text.Json;
using FcGateway.Dispatch.Pull;
using FcShared;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// The gateway's extension of the runtime APIs (<see cref="RuntimeApiThenNext"/>): a reply sent with
/// <c>X-Gateway-Then-Next: 1</c> is, once taken, answered with the next invocation, like <c>next</c>.
/// </summary>
public sealed class ThenNextTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AReplyAskingForTheNext_IsTaken_AndAnsweredWithTheNextInvocation()
    {
        await using var gateway = await PullFunction.StartAsync();
        using var runtime = FcRuntimeClient(gateway);
        var first = gateway.Client.GetAsync("/echo/first");
        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        var second = gateway.Client.GetAsync("/echo/second");
        await Eventually.HoldsAsync(() => Mailbox(gateway).QueuedInvocations == 1);

        using var chained = await runtime.SendAsync(ReplyThenNext($"{IdOf(next)}/response", """{"statusCode":200,"body":"one"}""")).WaitAsync(Bound);
        using var accepted = await runtime.PostAsync($"{IdOf(chained)}/response", new StringContent("""{"statusCode":200,"body":"two"}""")).WaitAsync(Bound);

        Assert.Equal("one", await (await first.WaitAsync(Bound)).Content.ReadAsStringAsync());
        Assert.Equal("two", await (await second.WaitAsync(Bound)).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, chained.StatusCode);
        Assert.Equal(RuntimeApiThenNext.Value, chained.Headers.GetValues(RuntimeApiThenNext.Header).Single());
        Assert.NotEqual(IdOf(next), IdOf(chained));
        Assert.Equal("echo", chained.Headers.GetValues("x-fc-function-name").Single());
        Assert.Equal("0", chained.Headers.GetValues("x-fc-function-type").Single());
        Assert.True(chained.Headers.Contains("x-fc-function-deadline"));
        var @event = JsonDocument.Parse(await chained.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("/echo/second", @event.GetProperty("rawPath").GetString());
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.False(accepted.Headers.Contains(RuntimeApiThenNext.Header));
        Assert.Empty(await accepted.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AReplyAskingForTheNext_WaitsAsAPoll_UntilAnInvocationComes()
    {
        await using var gateway = await PullFunction.StartAsync();
        using var runtime = FcRuntimeClient(gateway);
        var first = gateway.Client.GetAsync("/echo/first");
        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        var mailbox = Mailbox(gateway);

        var chained = runtime.SendAsync(ReplyThenNext($"{IdOf(next)}/error", """{"errorMessage":"failed"}"""));
        var firstResponse = await first.WaitAsync(Bound);
        await Eventually.HoldsAsync(() => mailbox.WaitingPolls == 1);
        var waitedWhileIdle = !chained.IsCompleted;
        var second = gateway.Client.GetAsync("/echo/second");
        using var handedOut = await chained.WaitAsync(Bound);
        using var accepted = await runtime.PostAsync($"{IdOf(handedOut)}/response", new StringContent("""{"statusCode":202}""")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.BadGateway, firstResponse.StatusCode);
        Assert.True(waitedWhileIdle);
        Assert.Equal(HttpStatusCode.OK, handedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await second.WaitAsync(Bound)).StatusCode);
    }

    [Fact]
    public async Task AWorkerThatLeavesWhileItsReplyWaitsForTheNext_LosesNoInvocation()
    {
        await using var gateway = await PullFunction.StartAsync();
        using var runtime = FcRuntimeClient(gateway);
        var first = gateway.Client.GetAsync("/echo/first");
        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        var mailbox = Mailbox(gateway);
        using var leaving = new CancellationTokenSource();

        var chained = runtime.SendAsync(ReplyThenNext($"{IdOf(next)}/response", """{"statusCode":200,"body":"one"}"""), leaving.Token);
        Assert.Equal("one", await (await first.WaitAsync(Bound)).Content.ReadAsStringAsync());
        await Eventually.HoldsAsync(() => mailbox.WaitingPolls == 1);
        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => chained);
        await Eventually.HoldsAsync(() => mailbox.WaitingPolls == 0);
        var second = gateway.Client.GetAsync("/echo/second");
        using var polled = await runtime.GetAsync("next").WaitAsync(Bound);
        using var accepted = await runtime.PostAsync($"{IdOf(polled)}/response", new StringContent("""{"statusCode":200,"body":"two"}""")).WaitAsync(Bound);

        Assert.Equal("two", await (await second.WaitAsync(Bound)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ARefusedReplyAskingForTheNext_IsRefusedAsWithoutIt()
    {
        await using var gateway = await PullFunction.StartAsync();
        using var runtime = FcRuntimeClient(gateway);
        var first = gateway.Client.GetAsync("/echo/");
        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        using var taken = await runtime.PostAsync($"{IdOf(next)}/response", new StringContent("{}")).WaitAsync(Bound);
        await first.WaitAsync(Bound);

        using var unknown = await runtime.SendAsync(ReplyThenNext("1-00000000-000000000000000000000000/response", "{}")).WaitAsync(Bound);
        using var again = await runtime.SendAsync(ReplyThenNext($"{IdOf(next)}/error", "{}")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.False(unknown.Headers.Contains(RuntimeApiThenNext.Header));
        Assert.False(again.Headers.Contains(RuntimeApiThenNext.Header));
        Assert.Equal(0, Mailbox(gateway).WaitingPolls);
    }

    [Fact]
    public async Task OnTheLambdaWire_AReplyAskingForTheNext_IsAnsweredWithLambdasHeaders()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(gateway.RuntimeApi());
        var first = gateway.Client.GetAsync("/echo/first");
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        var second = gateway.Client.GetAsync("/echo/second");
        await Eventually.HoldsAsync(() => Mailbox(gateway).QueuedInvocations == 1);

        var firstId = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
        using var chained = await runtime.SendAsync(ReplyThenNext($"invocation/{firstId}/response", """{"statusCode":200,"body":"one"}""")).WaitAsync(Bound);
        var secondId = chained.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
        using var accepted = await runtime.PostAsync($"invocation/{secondId}/response", new StringContent("""{"statusCode":200,"body":"two"}""")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, chained.StatusCode);
        Assert.Equal(RuntimeApiThenNext.Value, chained.Headers.GetValues(RuntimeApiThenNext.Header).Single());
        Assert.True(chained.Headers.Contains("Lambda-Runtime-Deadline-Ms"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal("one", await (await first.WaitAsync(Bound)).Content.ReadAsStringAsync());
        Assert.Equal("two", await (await second.WaitAsync(Bound)).Content.ReadAsStringAsync());
    }

    private static HttpClient FcRuntimeClient(TestGateway gateway) =>
        new() { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/"), Timeout = Timeout.InfiniteTimeSpan };

    private static HttpRequestMessage ReplyThenNext(string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        request.Headers.Add(RuntimeApiThenNext.Header, RuntimeApiThenNext.Value);
        return request;
    }

    private static string IdOf(HttpResponseMessage next) => next.Headers.GetValues("x-fc-request-id").Single();

    private static RuntimeApiMailbox Mailbox(TestGateway gateway) =>
        gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf(PullFunction.Name)!;
}
