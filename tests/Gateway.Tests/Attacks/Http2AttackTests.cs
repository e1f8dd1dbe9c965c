using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>RFC 9113 §8.2 makes some header fields malformed over HTTP/2: such a stream never reaches a function.</summary>
public sealed class Http2AttackTests
{
    [Theory]
    [InlineData("transfer-encoding", "chunked")]
    [InlineData("connection", "keep-alive")]
    [InlineData("keep-alive", "timeout=5")]
    [InlineData("upgrade", "websocket")]
    [InlineData("proxy-connection", "keep-alive")]
    [InlineData("te", "gzip")]
    [InlineData("x-a:b", "c")]
    [InlineData("x a", "c")]
    [InlineData("x-a", " c")]
    [InlineData("x-a", "c\t")]
    public async Task MalformedField_IsRefused_AndNeverReachesTheWorker(string name, string value)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:EndpointDefaults:Protocols", "Http2"));
        await using var connection = await RawHttp2Connection.OpenAsync(gateway.Url);

        var status = await connection.GetAsync("/echo/", (name, value));

        Assert.True(status is null or 400, $"status {status}");
        Assert.Empty(worker.Received);
    }

    /// <summary>Kestrel refuses these in an HTTP/1.1 request line; over HTTP/2 the gateway does (the event's rawPath is the encoded path).</summary>
    [Theory]
    [InlineData("/echo/a b")]
    [InlineData("/echo/?x=a b")]
    [InlineData("/echo/caf\u00c3\u00a9")] // "café" in UTF-8, each byte a character of the Latin-1 string the test's HPACK writer sends
    public async Task APathWithASpaceOrACharacterOutsideAscii_IsRefused400(string path)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:EndpointDefaults:Protocols", "Http2"));
        await using var connection = await RawHttp2Connection.OpenAsync(gateway.Url);

        var status = await connection.GetAsync(path);

        Assert.Equal(400, status);
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task WellFormedFields_AreServed_IncludingTeTrailers()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:EndpointDefaults:Protocols", "Http2"));
        await using var connection = await RawHttp2Connection.OpenAsync(gateway.Url);

        var status = await connection.GetAsync("/echo/", ("te", "trailers"), ("x-custom", "v"));

        Assert.Equal(200, status);
        var headers = Assert.Single(worker.Received).Event.GetProperty("headers");
        Assert.Equal("v", headers.GetProperty("X-Custom").GetString());
    }

    /// <summary>
    /// Browsers split the cookie header over HTTP/2 (RFC 9113 §8.2.3); the crumbs become one header again, joined with
    /// "; " as the spec requires, not with the comma other repeated headers get.
    /// </summary>
    [Fact]
    public async Task CookieCrumbs_BecomeOneCookieHeader_JoinedWithSemicolons()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:EndpointDefaults:Protocols", "Http2"));
        await using var connection = await RawHttp2Connection.OpenAsync(gateway.Url);

        var status = await connection.GetAsync("/echo/", ("cookie", "a=1"), ("cookie", "b=2, c=3"));

        Assert.Equal(200, status);
        var headers = Assert.Single(worker.Received).Event.GetProperty("headers");
        Assert.Equal("a=1; b=2, c=3", headers.GetProperty("Cookie").GetString());
    }

    /// <summary>An empty crumb is a well-formed field; Kestrel's join leaves "a=1; ", which is not the client's whitespace.</summary>
    [Fact]
    public async Task CookieCrumbs_AnEmptyLastCrumb_IsServed()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:EndpointDefaults:Protocols", "Http2"));
        await using var connection = await RawHttp2Connection.OpenAsync(gateway.Url);

        var status = await connection.GetAsync("/echo/", ("cookie", "a=1"), ("cookie", ""));

        Assert.Equal(200, status);
        Assert.Single(worker.Received);
    }
}
