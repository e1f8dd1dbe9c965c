using Gateway.Tests.Attacks;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>Fields a <c>Connection</c> header names belong to one hop (RFC 9110 §7.6.1): the gateway passes none of them on.</summary>
public sealed class ConnectionNominatedHeadersForwardingTests
{
    [Fact]
    public async Task EventMode_FieldsTheClientsConnectionHeaderNames_AreNotInTheEvent()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Connection.Add("X-Hop");
        request.Headers.Add("X-Hop", "for the gateway only");
        request.Headers.Add("X-End", "for the function");

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        var headers = Assert.Single(worker.Received).Event.GetProperty("headers");
        Assert.False(headers.TryGetProperty("X-Hop", out _));
        Assert.Equal("for the function", headers.GetProperty("X-End").GetString());
    }

    [Fact]
    public async Task FromATrustedProxy_NamingXForwardedFor_DoesNotDropIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:ForwardedHeaders:TrustedProxies:0", "127.0.0.0/8"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Connection.Add("X-Forwarded-For");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        await gateway.Client.SendAsync(request);

        var headers = Assert.Single(worker.Received).Event.GetProperty("headers");
        Assert.Equal("203.0.113.7, 127.0.0.1", headers.GetProperty("X-Forwarded-For").GetString());
    }

    [Fact]
    public async Task WebMode_NamedFieldsReachNeitherTheWorkerNorTheClient()
    {
        await using var worker = await TestWorker.StartAsync((context, _) =>
        {
            context.Response.Headers.Connection = "X-Internal";
            context.Response.Headers["X-Internal"] = "the worker's hop only";
            context.Response.Headers["X-End"] = "for the client";
            return TestWorker.Reply(context, 200, "ok", fcStatus: null);
        });
        var config = new GatewayConfiguration().WithFunction("web", worker.Url).Set("ReverseProxy:Routes:web:Metadata:TriggerMode", "web");
        await using var gateway = await TestGateway.StartAsync(config.Values);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/web/");
        request.Headers.Connection.Add("X-Hop");
        request.Headers.Add("X-Hop", "for the gateway only");
        request.Headers.Add("X-End", "for the function");

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        var received = Assert.Single(worker.Received);
        Assert.Null(received.Header("X-Hop"));
        Assert.Equal("for the function", received.Header("X-End"));
        Assert.False(response.Headers.Contains("X-Internal"));
        Assert.Equal("for the client", response.Headers.GetValues("X-End").Single());
    }

    [Fact]
    public async Task WebMode_AResponseNamingAField_OverTheWire_LosesIt()
    {
        await using var worker = CannedResponseWorker.Start(_ =>
            "HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Internal\r\nX-Internal: secret\r\nX-End: kept\r\nContent-Length: 2\r\n\r\nok");
        var config = new GatewayConfiguration().WithFunction("web", worker.Url).Set("ReverseProxy:Routes:web:Metadata:TriggerMode", "web");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        var response = await gateway.Client.GetAsync("/web/");

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("X-Internal"));
        Assert.Equal("kept", response.Headers.GetValues("X-End").Single());
    }
}
