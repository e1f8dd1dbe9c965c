using System.Collections.Concurrent;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// An encoded slash (<c>%2F</c>) and other escapes reach the function as the client sent them, also through a route's
/// path transform: YARP encodes every <c>%</c> of a transformed path, which made <c>%2F</c> arrive as <c>%252F</c>.
/// </summary>
public sealed class EncodedPathTests
{
    [Fact]
    public async Task EventMode_AfterAPathTransform_RawPathKeepsTheClientsEscapes_AndPathIsDecoded()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("ReverseProxy:Routes:echo:Transforms:0:PathRemovePrefix", "/echo"));

        await gateway.Client.GetAsync("/echo/a%20b%2Fc%3F%25d?x=1");

        var @event = Assert.Single(worker.Received).Event;
        Assert.Equal("/a%20b%2Fc%3F%25d", @event.GetProperty("rawPath").GetString());
        Assert.Equal("/a b/c?%d", @event.GetProperty("requestContext").GetProperty("http").GetProperty("path").GetString());
        Assert.Equal("1", @event.GetProperty("queryParameters").GetProperty("x").GetString());
    }

    [Theory]
    [InlineData("/echo/%252e%252e/x", "/%252e%252e/x", "/%2e%2e/x")]
    [InlineData("/echo/a%2541", "/a%2541", "/a%41")]
    public async Task EventMode_AfterAPathTransform_ALiteralPercentIsNeverDecodedTwice(string sent, string rawPath, string path)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("ReverseProxy:Routes:echo:Transforms:0:PathRemovePrefix", "/echo"));

        await gateway.Client.GetAsync(sent);

        var @event = Assert.Single(worker.Received).Event;
        Assert.Equal(rawPath, @event.GetProperty("rawPath").GetString());
        Assert.Equal(path, @event.GetProperty("requestContext").GetProperty("http").GetProperty("path").GetString());
    }

    [Theory]
    [InlineData(false, "/web/a%20b%2Fc?x=1", "/web/a%20b%2Fc?x=1")]
    [InlineData(true, "/web/a%20b%2Fc?x=1", "/a%20b%2Fc?x=1")]
    [InlineData(true, "/web/plain/path?x=1", "/plain/path?x=1")]
    [InlineData(false, "/web/%252e%252e/admin", "/web/%252e%252e/admin")]
    [InlineData(true, "/web/x/%252e%252e/admin", "/x/%252e%252e/admin")]
    [InlineData(false, "/web/a%2541%2F", "/web/a%2541%2F")]
    [InlineData(true, "/web/a%2541", "/a%2541")]
    [InlineData(true, "/web?x=a%20b", "/?x=a%20b")]
    [InlineData(true, "/web/?x=a%20b", "/?x=a%20b")]
    public async Task WebMode_TheWorkerGetsTheClientsEscapes(bool removePrefix, string sent, string received)
    {
        var targets = new ConcurrentQueue<string>();
        await using var worker = await RecordingTargetsAsync(targets);
        var config = new GatewayConfiguration().WithFunction("web", worker.Url).Set("ReverseProxy:Routes:web:Metadata:TriggerMode", "web");
        if (removePrefix)
        {
            config.Set("ReverseProxy:Routes:web:Transforms:0:PathRemovePrefix", "/web");
        }

        await using var gateway = await TestGateway.StartAsync(config.Values);

        Assert.Equal("ok", await (await gateway.Client.GetAsync(sent)).Content.ReadAsStringAsync());
        Assert.Equal(received, Assert.Single(targets));
    }

    [Theory]
    [InlineData("GET http://a.example/web/x/%252e%252e/admin HTTP/1.1", "/web/x/%252e%252e/admin")]
    [InlineData("GET http://a.example/web/a%2541?q=1 HTTP/1.1", "/web/a%2541?q=1")]
    [InlineData("GET /web/a\\b%25 HTTP/1.1", "/web/a%5Cb%25")]
    [InlineData("GET http://a.example/web/a%2Fb HTTP/1.1", "/web/a%2Fb")]
    [InlineData("GET /web/a%3Bb%41?q=1 HTTP/1.1", "/web/a%3Bb%41?q=1")]
    [InlineData("GET /web/q?x=%zz&y=% HTTP/1.1", "/web/q?x=%zz&y=%")]
    public async Task WebMode_AbsoluteTargetsAndCharactersAPathMayNotHold_AreForwardedEncodedOnce(string requestLine, string received)
    {
        var targets = new ConcurrentQueue<string>();
        await using var worker = await RecordingTargetsAsync(targets);
        var config = new GatewayConfiguration().WithFunction("web", worker.Url).Set("ReverseProxy:Routes:web:Metadata:TriggerMode", "web");
        await using var gateway = await TestGateway.StartAsync(config.Values);
        await using var connection = await Attacks.RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync($"{requestLine}\r\nHost: a.example\r\n\r\n");

        Assert.Equal(200, (await connection.ReadResponseAsync())?.StatusCode);
        Assert.Equal(received, Assert.Single(targets));
    }

    [Fact]
    public async Task EventMode_AnAbsoluteTarget_RawPathIsItsPathAsSent()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await Attacks.RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync("GET http://a.example/echo/x/%252e%252e/y?q=1 HTTP/1.1\r\nHost: a.example\r\n\r\n");
        await connection.ReadResponseAsync();

        var @event = Assert.Single(worker.Received).Event;
        Assert.Equal("/echo/x/%252e%252e/y", @event.GetProperty("rawPath").GetString());
        Assert.Equal("/echo/x/%2e%2e/y", @event.GetProperty("requestContext").GetProperty("http").GetProperty("path").GetString());
    }

    [Fact]
    public async Task WebMode_ATransformThatOnlyChangesCase_IsForwardedWithItsCase()
    {
        var targets = new ConcurrentQueue<string>();
        await using var worker = await RecordingTargetsAsync(targets);
        var config = new GatewayConfiguration().WithFunction("web", worker.Url)
            .Set("ReverseProxy:Routes:web:Metadata:TriggerMode", "web")
            .Set("ReverseProxy:Routes:web:Transforms:0:PathPattern", "/WEB/{**rest}");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        await gateway.Client.GetAsync("/web/a%25b");

        Assert.Equal("/WEB/a%25b", Assert.Single(targets));
    }

    /// <summary>A web worker answering "ok" that records each request target as it arrived.</summary>
    private static Task<TestWorker> RecordingTargetsAsync(ConcurrentQueue<string> targets) =>
        TestWorker.StartAsync((context, _) =>
        {
            targets.Enqueue(context.Features.Get<IHttpRequestFeature>()!.RawTarget);
            return TestWorker.Reply(context, 200, "ok", fcStatus: null);
        });
}
