using System.Net;
using Gateway.Tests.Infrastructure;
using static Gateway.Tests.EndToEnd.AsyncInvokeApi;

namespace Gateway.Tests.EndToEnd;

/// <summary>The invocation API's <c>x-fc-invocation-type: Async</c>: 202 at once, the function run in the background.</summary>
public sealed class AsyncInvokeApiTests
{
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
}
