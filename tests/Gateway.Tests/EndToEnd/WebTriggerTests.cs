using System.Net;
using System.Text;
using Gateway.Tests.Attacks;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Gateway.Tests.EndToEnd;

public sealed class WebTriggerTests
{
    [Fact]
    public async Task WebRoute_ForwardsTheRequestAsItCame_WithTheCommonHeaders()
    {
        using var worker = new ScriptedWorker();
        worker.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(418)
            .WithHeader("X-Function", "yes").WithHeader("X-Fc-Internal", "hidden").WithHeader("Content-Disposition", "inline").WithBody("teapot"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/echo/items/a%20b?x=1&x=2") { Content = new StringContent("payload", Encoding.UTF8, "text/plain") };
        request.Headers.Host = "shop.example.com";
        request.Headers.Add("X-Custom", "kept");
        request.Headers.Add("X-Fc-Account-Id", "forged");

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Equal("teapot", await response.Content.ReadAsStringAsync());
        Assert.Equal("yes", response.Headers.GetValues("X-Function").Single());
        Assert.False(response.Headers.Contains("X-Fc-Internal"));
        Assert.Null(response.Content.Headers.ContentDisposition);
        var requestId = response.Headers.GetValues("X-Fc-Request-Id").Single();
        var received = Assert.Single(worker.Received);
        Assert.Equal("PUT", received.Method);
        Assert.Equal("/echo/items/a b", received.Path);
        Assert.Equal("payload", Encoding.UTF8.GetString(received.Body));
        Assert.Equal("kept", received.Header("X-Custom"));
        Assert.Equal("shop.example.com", received.Header("Host"));
        Assert.Equal("/http-invoke", received.Header("x-fc-control-path"));
        Assert.Equal("0", received.Header("x-fc-retry-count"));
        Assert.Equal(requestId, received.Header("x-fc-request-id"));
        Assert.Equal("echo", received.Header("x-fc-function-name"));
        Assert.Equal("1234567890", received.Header("x-fc-account-id"));
        Assert.Equal("127.0.0.1", received.Header("X-Forwarded-For"));
        Assert.NotNull(received.Header("traceparent"));
    }

    [Fact]
    public async Task WebRoute_WithAnOriginalHostTransformOfItsOwn_SendsTheWorkersHost()
    {
        using var worker = new ScriptedWorker();
        worker.Given(Request.Create()).RespondWith(Response.Create().WithStatusCode(200));
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c)
            .Set("ReverseProxy:Routes:echo:Transforms:0:RequestHeaderOriginalHost", "false"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Host = "shop.example.com";

        await gateway.Client.SendAsync(request);

        Assert.Equal(new Uri(worker.Url).Authority, Assert.Single(worker.Received).Header("Host"));
    }

    [Fact]
    public async Task ServerSentEvents_ReachTheClientAsTheyAreProduced()
    {
        var firstEventRead = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: one\n\n");
            await context.Response.Body.FlushAsync();
            await firstEventRead.Task.WaitAsync(TimeSpan.FromSeconds(20));
            await context.Response.WriteAsync("data: two\n\n");
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c));

        using var response = await gateway.Client.GetAsync("/echo/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        firstEventRead.SetResult();
        await reader.ReadLineAsync();
        var second = await reader.ReadLineAsync();

        Assert.Equal("data: one", first);
        Assert.Equal("data: two", second);
    }

    [Fact]
    public async Task DeadWorker_Returns502WithTheRequestId()
    {
        using var dead = new RefusingAddress();
        var config = new GatewayConfiguration().WithFunction("echo", dead.Url);
        Web(config);
        await using var gateway = await TestGateway.StartAsync(config.Values);

        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertFunctionFailedAsync(response);
    }

    [Fact]
    public async Task WorkerPastTheFunctionTimeout_Returns502()
    {
        var clock = new FakeTimeProvider();
        var invoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            invoked.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c).Set("Gateway:Functions:echo:Timeout", "00:01:00"), timeProvider: clock);

        var call = gateway.Client.GetAsync("/echo/");
        await invoked.Task;
        clock.Advance(TimeSpan.FromMinutes(1));
        var response = await call;

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Function time out after 60 seconds."));
    }

    [Fact]
    public async Task WorkerPastTheFunctionTimeout_AfterTheResponseStarted_CutsTheConnection_AndLogsATimeout()
    {
        var clock = new FakeTimeProvider();
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            context.Response.ContentLength = 100;
            await context.Response.Body.WriteAsync("hello"u8.ToArray());
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c).Set("Gateway:Functions:echo:Timeout", "00:01:00"), timeProvider: clock);

        using var response = await gateway.Client.GetAsync("/echo/", HttpCompletionOption.ResponseHeadersRead);
        clock.Advance(TimeSpan.FromMinutes(1));
        var cut = await Record.ExceptionAsync(() => response.Content.ReadAsByteArrayAsync());

        Assert.True(cut is HttpRequestException or IOException, $"The body ended without an error: {cut}");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=timeout"));
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("outcome=timeout", StringComparison.Ordinal) && line.Contains(" bytesOut=5 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClientStillSendingItsBodyWhenTheFunctionTimeoutPasses_Is408_NotTheFunctionsTimeout()
    {
        var clock = new FakeTimeProvider();
        var bodyBegun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (worker, gateway) = await StartWebFunctionAsync(clock, async context =>
        {
            await context.Request.Body.ReadExactlyAsync(new byte[10]);
            bodyBegun.TrySetResult();
            await Record.ExceptionAsync(() => context.Request.Body.CopyToAsync(Stream.Null));
        });
        await using var _ = worker;
        await using var __ = gateway;
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync("POST /echo/ HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n0123456789");
        await bodyBegun.Task.WaitAsync(TimeSpan.FromSeconds(20));
        clock.Advance(TimeSpan.FromMinutes(1));
        var response = await connection.ReadResponseAsync().WaitAsync(TimeSpan.FromSeconds(20));

        Assert.NotNull(response);
        Assert.Equal(408, response.StatusCode);
        Assert.Contains("the function's timeout passed while the client was still sending it", response.Body, StringComparison.Ordinal);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await connection.IsClosedByServerAsync().WaitAsync(TimeSpan.FromSeconds(20)));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("status=408 outcome=rejected"));
        Assert.False(gateway.Logs.Contains("outcome=timeout"));
    }

    [Fact]
    public async Task ClientLeavingAfterTheResponseStarted_IsClientClosed_AndTheWorkerSeesTheAbort()
    {
        var workerSawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            context.Response.ContentLength = 100;
            await context.Response.Body.WriteAsync("hello"u8.ToArray());
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => workerSawAbort.TrySetResult(), TaskScheduler.Default);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c));
        using var clientGivesUp = new CancellationTokenSource();

        using var response = await gateway.Client.GetAsync("/echo/", HttpCompletionOption.ResponseHeadersRead);
        var reading = response.Content.ReadAsByteArrayAsync(clientGivesUp.Token);
        await clientGivesUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reading);
        await workerSawAbort.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=client_closed"));
    }

    [Fact]
    public async Task UntrustedPeer_ForwardedHeadersAreReplaced()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c).Set("Gateway:ForwardedHeaders:TrustedProxies:0", "10.0.0.0/8"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Real-IP", "203.0.113.7");

        await gateway.Client.SendAsync(request);

        var received = Assert.Single(worker.Received);
        Assert.Equal("127.0.0.1", received.Header("X-Forwarded-For"));
        Assert.Null(received.Header("X-Real-IP"));
    }

    [Fact]
    public async Task ForwardingHeadersSpelledWithUnderscores_AreRemoved_FromAnyPeer()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c).Set("Gateway:ForwardedHeaders:TrustedProxies:0", "127.0.0.1"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        foreach (var name in new[] { "X_Real_IP", "X_Client_IP", "x_forwarded_proto", "X_Forwarded_For", "X_Forwarded_Host" })
        {
            request.Headers.TryAddWithoutValidation(name, "6.6.6.6");
        }

        await gateway.Client.SendAsync(request);

        var received = Assert.Single(worker.Received);
        Assert.DoesNotContain(received.Headers.Keys, name => name.Contains('_', StringComparison.Ordinal));
        Assert.Equal("127.0.0.1", received.Header("X-Forwarded-For"));
    }

    /// <summary>
    /// A TLS-terminating load balancer says the client called https on port 443 under /shop: the web function must see
    /// that, not the gateway's http; from any other peer (with no proxy listed, from every peer) the gateway's own view
    /// replaces the scheme and host, and a port or path base it cannot vouch for is not passed on.
    /// </summary>
    [Theory]
    [InlineData("127.0.0.1", "https", "shop.example.com", "443", "/shop")]
    [InlineData("10.0.0.0/8", "http", "gateway.test", null, null)]
    [InlineData(null, "http", "gateway.test", null, null)]
    public async Task ForwardedSchemeHostPortAndPrefix_FromATrustedProxy_AreKept_FromAnyOtherPeerReplaced(
        string? trustedProxies, string proto, string host, string? port, string? prefix)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c).Set("Gateway:ForwardedHeaders:TrustedProxies:0", trustedProxies));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Host = "gateway.test";
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "shop.example.com");
        request.Headers.Add("X-Forwarded-Port", "443");
        request.Headers.Add("X-Forwarded-Prefix", "/shop");

        await gateway.Client.SendAsync(request);

        var received = Assert.Single(worker.Received);
        Assert.Equal(proto, received.Header("X-Forwarded-Proto"));
        Assert.Equal(host, received.Header("X-Forwarded-Host"));
        Assert.Equal(port, received.Header("X-Forwarded-Port"));
        Assert.Equal(prefix, received.Header("X-Forwarded-Prefix"));
    }

    /// <summary>
    /// A request without a host (HTTP/1.0 with no <c>Host</c>, or HTTP/1.1's empty one) reaches the function with one
    /// <c>Host</c> (a worker refuses two with 400) and no <c>X-Forwarded-Host</c>, which would say the client called "".
    /// </summary>
    [Theory]
    [InlineData("GET /echo/ HTTP/1.0\n\n")]
    [InlineData("GET /echo/ HTTP/1.1\nHost:\nConnection: close\n\n")]
    public async Task ARequestWithoutHost_ReachesTheFunction_WithOneHost_AndNoXForwardedHost(string requestHead)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c));

        var response = await RawHttp.SendAsync(gateway.Url, requestHead);

        Assert.Equal(200, response.StatusCode);
        Assert.Null(Assert.Single(worker.Received).Header("X-Forwarded-Host"));
    }

    [Fact]
    public async Task BearerTrigger_OnAWebRoute_GuardsTheWorker_AndDoesNotForwardTheToken()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c)
            .Set("Gateway:Triggers:echo:AuthType", "bearer")
            .Set("Gateway:Triggers:echo:BearerTokens:0", "web-token"));
        using var authorized = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        authorized.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "web-token");

        var refused = await gateway.Client.GetAsync("/echo/");
        var accepted = await gateway.Client.SendAsync(authorized);

        await ErrorPathTests.AssertGatewayErrorAsync(refused, HttpStatusCode.Unauthorized, "AccessDenied");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Null(Assert.Single(worker.Received).Header("Authorization"));
    }

    /// <summary>
    /// Kestrel takes header values in UTF-8; HttpClient refused to send them on (ASCII only), which failed the request as
    /// if the worker had crashed and counted against a healthy instance in passive health checks.
    /// </summary>
    [Fact]
    public async Task AHeaderValueInUtf8_ReachesTheWebFunction_AsTheClientSentIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c));
        using var client = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8 }) { BaseAddress = new Uri(gateway.Url) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("X-Name", "café ä€😀");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("café ä€😀", Assert.Single(worker.Received).Header("X-Name"));
    }

    /// <summary>
    /// A web function whose worker runs <paramref name="handler"/> as soon as a request's head arrives (a
    /// <see cref="TestWorker"/> reads the whole body first), with a one-minute timeout on <paramref name="clock"/>.
    /// </summary>
    private static async Task<(WebApplication Worker, TestGateway Gateway)> StartWebFunctionAsync(FakeTimeProvider clock, Func<HttpContext, Task> handler)
    {
        var (worker, workerUrl) = await LoopbackServer.StartAsync(context => TestWorker.IsHealthProbe(context.Request) ? Task.CompletedTask : handler(context));
        var config = Web(new GatewayConfiguration().WithFunction("echo", workerUrl)).Set("Gateway:Functions:echo:Timeout", "00:01:00");
        return (worker, await TestGateway.StartAsync(config.Values, builder => builder.Services.AddSingleton<TimeProvider>(clock)));
    }

    private static GatewayConfiguration Web(GatewayConfiguration config) =>
        config.Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web");
}
