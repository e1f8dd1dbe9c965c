using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// Request lines and framing the HTTP server lets through but a worker, a log or another proxy could read
/// differently: refused with 400 InvalidArgument and the request id, without reaching the worker.
/// </summary>
public sealed class RequestTargetAttackTests
{
    [Theory]
    [InlineData("GET /echo/a\rb HTTP/1.1")]
    [InlineData("GET /echo/?q=x\rX-Injected:1 HTTP/1.1")]
    [InlineData("GET /echo/a\u007fb HTTP/1.1")]
    [InlineData("GET /echo/a\u0001b HTTP/1.1")]
    [InlineData("get /echo/ HTTP/1.1")]
    [InlineData("Post /echo/ HTTP/1.1")]
    [InlineData("GET /echo/../respond/x HTTP/1.1")]
    [InlineData("GET /echo/./x HTTP/1.1")]
    [InlineData("GET /echo/%2e%2e/respond/x HTTP/1.1")]
    [InlineData("GET /echo/%2E/x HTTP/1.1")]
    [InlineData("GET /echo/..%2frespond HTTP/1.1")]
    [InlineData("GET /echo/x/.. HTTP/1.1")]
    [InlineData("GET /echo/..;/respond/x HTTP/1.1")]
    [InlineData("GET /echo/%2e%2e;jsessionid=1/respond/x HTTP/1.1")]
    [InlineData("GET /echo/..%3B/respond/x HTTP/1.1")]
    [InlineData("GET /echo/x/.; HTTP/1.1")]
    [InlineData("GET /echo/x%252F..%252Frespond HTTP/1.1")]
    [InlineData("GET /echo/x%252f..%255Crespond HTTP/1.1")]
    [InlineData("GET http://a/echo/x%255c.. HTTP/1.1")]
    [InlineData("GET /echo/x%25%32%46..%25%32%46respond HTTP/1.1")]
    [InlineData("GET /echo/x%2%46..%2%46respond HTTP/1.1")]
    [InlineData("GET /echo/x%%32%46..%%35%43respond HTTP/1.1")]
    [InlineData("GET /echo/x#/respond HTTP/1.1")]
    [InlineData("GET http://a#/respond/x%2Fy HTTP/1.1")]
    [InlineData("GET /echo/?q=1#&z=2 HTTP/1.1")]
    public async Task MalformedRequestLine_Returns400_AndNeverReachesTheWorker(string requestLine)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync($"{requestLine}\r\nHost: a\r\n\r\nGET /echo/next HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await connection.ReadResponseAsync();

        Assert.NotNull(response);
        Assert.Equal(400, response.StatusCode);
        Assert.NotNull(response.Header("X-Fc-Request-Id"));
        Assert.Contains("\"errorCode\":\"InvalidArgument\"", response.Body, StringComparison.Ordinal);
        Assert.All(worker.Received, received => Assert.Equal("/echo/next", received.Event.GetProperty("rawPath").GetString()));
    }

    [Theory]
    [InlineData("0x5")]
    [InlineData("-5")]
    [InlineData("5, 6")]
    [InlineData("5.0")]
    public async Task ContentLengthThatIsNotADecimalNumber_Returns400(string contentLength)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync($"POST /echo/ HTTP/1.1\r\nHost: a\r\nContent-Length: {contentLength}\r\nConnection: close\r\n\r\nhello");
        var response = await connection.ReadResponseAsync();

        Assert.NotNull(response);
        Assert.Equal(400, response.StatusCode);
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task EncodedLineBreaksInThePath_AreEscapedInTheLog()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/a%0d%0aForged-Line:%20yes");

        Assert.Equal(200, (int)response.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("/echo/a\\u000d\\u000aForged-Line: yes")); // the access line escapes CR and LF
        Assert.False(gateway.Logs.Contains("\nForged-Line"), "no log entry holds a raw line break from the client");
    }

    [Theory]
    [InlineData("/echo/a%0d%0aForged-Line:%20yes")]
    [InlineData("/nothing-here/a%0d%0aForged-Line:%20yes")]
    public async Task EncodedLineBreaksInThePath_AreNeverRawInTheLog_EvenWithEveryCategoryAtDebug(string path)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Logging:LogLevel:Default", "Debug"));

        await gateway.Client.GetAsync(path);

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("a\\u000d\\u000aForged-Line: yes"));
        Assert.False(gateway.Logs.Contains("\nForged-Line"), "no log entry holds a raw line break from the client");
    }
    /// <summary>A rule for one provider outranks the gateway's rules for all providers: the holds are the provider's too.</summary>
    [Theory]
    [InlineData("/echo/a%0d%0aForged-Line:%20yes")]
    [InlineData("/nothing-here/a%0d%0aForged-Line:%20yes")]
    public async Task EncodedLineBreaksInThePath_AreNeverRawInTheLog_EvenWithTheLogProviderItselfAtDebug(string path)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(
            worker, configure: c => c.Set($"Logging:{typeof(CapturedLogs).FullName}:LogLevel:Default", "Debug"));

        await gateway.Client.GetAsync(path);

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("a\\u000d\\u000aForged-Line: yes"));
        Assert.False(gateway.Logs.Contains("\nForged-Line"), "no log entry holds a raw line break from the client");
    }
}
