using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

public sealed class ForwardingTests
{
    [Fact]
    public async Task WithoutTrustedProxies_PeerIsAppendedToReceivedForwardedFor()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        await gateway.Client.SendAsync(request);

        var @event = Assert.Single(worker.Received).Event;
        Assert.Equal("203.0.113.7, 127.0.0.1", @event.GetProperty("headers").GetProperty("X-Forwarded-For").GetString());
        Assert.Equal("127.0.0.1", @event.GetProperty("requestContext").GetProperty("http").GetProperty("sourceIp").GetString());
    }

    [Fact]
    public async Task WithoutForwardedFor_ThePeerIsTheHeader()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        await gateway.Client.GetAsync("/echo/");

        var headers = Assert.Single(worker.Received).Event.GetProperty("headers");
        Assert.Equal("127.0.0.1", headers.GetProperty("X-Forwarded-For").GetString());
    }

    [Fact]
    public async Task FromTrustedProxy_ForwardedHeadersAreKept()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:ForwardedHeaders:TrustedProxies:0", "127.0.0.0/8"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Real-IP", "203.0.113.7");

        await gateway.Client.SendAsync(request);

        var headers = Assert.Single(worker.Received).Event.GetProperty("headers");
        Assert.Equal("203.0.113.7, 127.0.0.1", headers.GetProperty("X-Forwarded-For").GetString());
        Assert.Equal("203.0.113.7", headers.GetProperty("X-Real-Ip").GetString());
    }

    [Fact]
    public async Task FromTrustedProxy_SeveralForwardedForLines_AreOneList()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:ForwardedHeaders:TrustedProxies:0", "127.0.0.0/8"));
        await using var connection = await Attacks.RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync("GET /echo/ HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 9.9.9.9, 8.8.8.8\r\nX-Forwarded-For: 7.7.7.7\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.Equal(200, response?.StatusCode);
        var headers = Assert.Single(worker.Received).Event.GetProperty("headers");
        Assert.Equal("9.9.9.9, 8.8.8.8, 7.7.7.7, 127.0.0.1", headers.GetProperty("X-Forwarded-For").GetString());
    }

    [Fact]
    public async Task FromUntrustedPeer_ForgedForwardedHeadersAreDiscarded()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Gateway:ForwardedHeaders:TrustedProxies:0", "10.0.0.0/8")
            .Set("Gateway:ForwardedHeaders:TrustedProxies:1", "192.0.2.1"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Real-IP", "203.0.113.7");

        await gateway.Client.SendAsync(request);

        var headers = Assert.Single(worker.Received).Event.GetProperty("headers");
        Assert.Equal("127.0.0.1", headers.GetProperty("X-Forwarded-For").GetString());
        Assert.False(headers.TryGetProperty("X-Real-Ip", out _));
    }

    [Fact]
    public async Task ClientFcHeaders_AreNeverForwarded()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("x-fc-request-id", "1-00000000-forgedforgedforgedforged");
        request.Headers.Add("X-Fc-Account-Id", "forged-account");
        request.Headers.Add("x-fc-access-key-secret", "forged-secret");
        request.Headers.Add("Keep-Alive", "timeout=5");

        var response = await gateway.Client.SendAsync(request);

        var received = Assert.Single(worker.Received);
        Assert.NotEqual("1-00000000-forgedforgedforgedforged", received.Header("x-fc-request-id"));
        Assert.Equal(response.Headers.GetValues("X-Fc-Request-Id").Single(), received.Header("x-fc-request-id"));
        Assert.Equal("1234567890", received.Header("x-fc-account-id"));
        Assert.Null(received.Header("x-fc-access-key-secret"));
        var eventHeaders = received.Event.GetProperty("headers");
        foreach (var header in eventHeaders.EnumerateObject())
        {
            Assert.False(header.Name.StartsWith("X-Fc-", StringComparison.OrdinalIgnoreCase), header.Name);
            Assert.NotEqual("Keep-Alive", header.Name);
            Assert.NotEqual("Connection", header.Name);
        }
    }

    [Fact]
    public async Task ClientFcHeaders_WhenRejectionIsConfigured_Return400InvalidArgument()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:RejectClientFcHeaders", "true"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Add("x-fc-request-id", "forged");

        var response = await gateway.Client.SendAsync(request);

        await ErrorPathTests.AssertGatewayErrorAsync(response, System.Net.HttpStatusCode.BadRequest, "InvalidArgument");
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task Destinations_AreBalancedByYarp()
    {
        await using var first = await TestWorker.ReturningAsync("first");
        await using var second = await TestWorker.ReturningAsync("second");
        var config = new GatewayConfiguration().WithFunction("echo", first.Url, second.Url)
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "RoundRobin");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        var bodies = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            bodies.Add(await gateway.Client.GetStringAsync("/echo/"));
        }

        Assert.Equal(2, bodies.Count(b => b == "first"));
        Assert.Equal(2, bodies.Count(b => b == "second"));
    }
}
