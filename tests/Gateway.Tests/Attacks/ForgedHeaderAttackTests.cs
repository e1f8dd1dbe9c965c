using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>A client must never speak for the gateway, whatever the path, the spelling or the mode.</summary>
public sealed class ForgedHeaderAttackTests
{
    private const string ForgedRequestId = "1-00000000-forgedforgedforgedforged";

    [Theory]
    [InlineData("/2023-03-30/functions/x")]
    [InlineData("/2023-03-30/FUNCTIONS/web/invocations/more")]
    [InlineData("/2023-03-30/functions")]
    public async Task ClientFcHeaders_OnAWebRouteThatLooksLikeTheInvocationApi_NeverReachTheWorker(string path)
    {
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 200, "ok", fcStatus: null));
        var config = new GatewayConfiguration().WithFunction("web", worker.Url)
            .Set("ReverseProxy:Routes:web:Match:Path", "/2023-03-30/{**rest}")
            .Set("ReverseProxy:Routes:web:Metadata:TriggerMode", "web");
        await using var gateway = await TestGateway.StartAsync(config.Values);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-fc-request-id", ForgedRequestId);
        request.Headers.Add("x-fc-access-key-id", "forged-id");
        request.Headers.Add("x-fc-access-key-secret", "forged-secret");
        request.Headers.Add("x-fc-security-token", "forged-token");
        request.Headers.Add("x-fc-account-id", "forged-account");

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        var received = Assert.Single(worker.Received);
        Assert.Equal(response.Headers.GetValues("X-Fc-Request-Id").Single(), received.Header("x-fc-request-id"));
        Assert.Equal("1234567890", received.Header("x-fc-account-id"));
        Assert.Null(received.Header("x-fc-access-key-id"));
        Assert.Null(received.Header("x-fc-access-key-secret"));
        Assert.Null(received.Header("x-fc-security-token"));
    }

    [Theory]
    [InlineData("x_fc_access_key_id")]
    [InlineData("X_Fc_Request_Id")]
    [InlineData("x-fc_security_token")]
    [InlineData("x_fc-account-id")]
    public async Task UnderscoreSpellingsOfFcHeaders_AreRemovedInEveryMode(string name)
    {
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 200, "ok", fcStatus: null));
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url).WithFunction("web", worker.Url)
            .Set("ReverseProxy:Routes:web:Metadata:TriggerMode", "web");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        foreach (var path in new[] { "/echo/", "/web/" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation(name, "forged");
            Assert.Equal(200, (int)(await gateway.Client.SendAsync(request)).StatusCode);
        }

        Assert.Equal(2, worker.Received.Count);
        Assert.All(worker.Received, received => Assert.Null(received.Header(name)));
        var eventHeaders = worker.Received.First().Event.GetProperty("headers");
        Assert.DoesNotContain(eventHeaders.EnumerateObject(), header => header.Value.GetString() == "forged");
    }

    [Fact]
    public async Task UnderscoreSpellingOfFcHeader_WhenRejectionIsConfigured_Returns400()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:RejectClientFcHeaders", "true"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.TryAddWithoutValidation("x_fc_access_key_id", "forged");

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("InvalidArgument", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task InvocationApiHeaders_StillWorkOnTheInvocationApi()
    {
        await using var worker = await TestWorker.ReturningAsync("done");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:RejectClientFcHeaders", "true"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2023-03-30/functions/echo/invocations") { Content = new StringContent("{}") };
        request.Headers.Add("x-fc-invocation-type", "Sync");

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("done", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("event")]
    [InlineData("web")]
    public async Task ForwardingHeadersFromAnUntrustedPeer_AreDiscarded(string mode)
    {
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 200, "ok", fcStatus: "200"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", mode)
            .Set("Gateway:ForwardedHeaders:TrustedProxies:0", "10.0.0.0/8"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.TryAddWithoutValidation("Forwarded", "for=203.0.113.7;host=forged.example;proto=https");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", "forged.example");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Proto", "https");
        request.Headers.TryAddWithoutValidation("X-Client-IP", "203.0.113.7");
        request.Headers.TryAddWithoutValidation("X-Real-IP", "203.0.113.7");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Port", "443");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Prefix", "/forged");

        await gateway.Client.SendAsync(request);

        var received = Assert.Single(worker.Received);
        var seen = mode == "event"
            ? received.Event.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString(), StringComparer.OrdinalIgnoreCase)
            : received.Headers.ToDictionary(h => h.Key, h => (string?)h.Value, StringComparer.OrdinalIgnoreCase);
        Assert.False(seen.ContainsKey("Forwarded"));
        Assert.False(seen.ContainsKey("X-Client-IP"));
        Assert.False(seen.ContainsKey("X-Real-IP"));
        Assert.False(seen.ContainsKey("X-Forwarded-Port"));
        Assert.False(seen.ContainsKey("X-Forwarded-Prefix"));
        Assert.NotEqual("forged.example", seen.GetValueOrDefault("X-Forwarded-Host"));
        Assert.NotEqual("https", seen.GetValueOrDefault("X-Forwarded-Proto"));
        Assert.Equal("127.0.0.1", seen["X-Forwarded-For"]);
    }
}
