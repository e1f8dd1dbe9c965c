using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// Requests whose framing or header syntax is ambiguous (RFC 9112 §6.3, §5.2) are what request smuggling and
/// header injection are built on: Kestrel must refuse them or resolve them one safe way, and nothing the
/// attacker hid inside them may reach a worker as a request of its own.
/// </summary>
public sealed class RequestFramingAttackTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ContentLengthWithChunked_ChunkedWins_ConnectionClosed_SmuggledRequestNeverAnswered()
    {
        await using var worker = await TestWorker.ReturningAsync("""{"statusCode":200,"body":"answered"}""");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync(
            "POST /echo/front HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "5\r\nhello\r\n0\r\n\r\n" +
            "GET /echo/smuggled HTTP/1.1\r\nHost: a\r\n\r\n");

        var first = await connection.ReadResponseAsync().WaitAsync(Bound);
        Assert.NotNull(first);
        Assert.Equal(200, first.StatusCode);
        Assert.NotNull(first.Header("X-Fc-Request-Id"));
        Assert.True(await connection.IsClosedByServerAsync().WaitAsync(Bound));
        var received = Assert.Single(worker.Received);
        Assert.Equal("/echo/front", received.Event.GetProperty("rawPath").GetString());
        Assert.Equal("hello", received.Event.GetProperty("body").GetString());
    }

    /// <remarks>Kestrel refuses these while parsing, before the gateway's pipeline runs; the answer is still the gateway's.</remarks>
    [Theory]
    [InlineData("X-A: a\r\n folded\r\n")]
    [InlineData("X-A: a\r\n\tfolded\r\n")]
    [InlineData("X-A: a\0b\r\n")]
    [InlineData("X-\0A: a\r\n")]
    [InlineData("X-A : a\r\n")]
    [InlineData("X-A: a\rInjected: b\r\n")]
    public async Task MalformedHeaderLine_Refused400_ConnectionClosed_NothingReachesTheWorker(string headerLine)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync(
            "GET /echo/bad HTTP/1.1\r\nHost: a\r\n" + headerLine + "\r\n" +
            "GET /echo/next HTTP/1.1\r\nHost: a\r\n\r\n");

        var response = await connection.ReadResponseAsync().WaitAsync(Bound);
        Assert.NotNull(response);
        Assert.Equal(400, response.StatusCode);
        Assert.NotNull(response.Header("X-Fc-Request-Id"));
        Assert.True(await connection.IsClosedByServerAsync().WaitAsync(Bound));
        Assert.Empty(worker.Received);
    }

    /// <remarks>
    /// HTTP/1.0 has no Transfer-Encoding (RFC 9112 §6.1): a proxy in front that passed the request on as HTTP/1.0 framed
    /// its body otherwise (by its Content-Length, or as none), so what follows the chunks may be a request the client hid
    /// there. Kestrel would read the body as chunked and serve the next request on the same connection.
    /// </remarks>
    [Theory]
    [InlineData("")]
    [InlineData("Content-Length: 3\r\n")]
    public async Task Http10RequestWithTransferEncoding_Refused400_ConnectionClosed_SmuggledRequestNeverAnswered(string contentLength)
    {
        await using var worker = await TestWorker.ReturningAsync("""{"statusCode":200,"body":"answered"}""");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync(
            "POST /echo/front HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\nContent-Type: text/plain\r\n" + contentLength +
            "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n" +
            "GET /echo/smuggled HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n");

        var response = await connection.ReadResponseAsync().WaitAsync(Bound);
        Assert.NotNull(response);
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("InvalidArgument", response.Body);
        Assert.NotNull(response.Header("X-Fc-Request-Id"));
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await connection.IsClosedByServerAsync().WaitAsync(Bound));
        Assert.Empty(worker.Received);
    }

    /// <remarks>
    /// A proxy in front may not read <c>chunked, chunked</c> or <c>gzip, chunked</c> as the gateway does: after refusing
    /// such a request the gateway does not read on from where it thinks the body ended.
    /// </remarks>
    [Theory]
    [InlineData("gzip, chunked")]
    [InlineData("chunked, chunked")]
    public async Task TransferCodingBesidesChunked_Refused400_ConnectionClosed_PipelinedRequestNeverAnswered(string transferEncoding)
    {
        await using var worker = await TestWorker.ReturningAsync("""{"statusCode":200,"body":"answered"}""");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync(
            "POST /echo/front HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nTransfer-Encoding: " + transferEncoding + "\r\n\r\n" +
            "5\r\nhello\r\n0\r\n\r\n" +
            "GET /echo/smuggled HTTP/1.1\r\nHost: a\r\n\r\n");

        var response = await connection.ReadResponseAsync().WaitAsync(Bound);
        Assert.NotNull(response);
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await connection.IsClosedByServerAsync().WaitAsync(Bound));
        Assert.Empty(worker.Received);
    }

    /// <remarks>
    /// Kestrel reads no further than a chunk whose framing is broken, and closes the connection after the answer: the
    /// answer says so (RFC 9112 §9.6), as the refusals above do, or a keep-alive client sends its next request down a
    /// connection that is closing and loses it. Event and web routes alike.
    /// </remarks>
    [Theory]
    [InlineData("event")]
    [InlineData("web")]
    public async Task MalformedChunkedBody_Refused400_SaysConnectionClose_AndCloses(string triggerMode)
    {
        await using var worker = await TestWorker.ReturningAsync("""{"statusCode":200,"body":"answered"}""");
        await using var gateway = await TestGateway.ForWorkerAsync(
            worker, configure: c => c.Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", triggerMode));
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync(
            "POST /echo/front HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "3\r\nabc\r\nzz\r\n");

        var response = await connection.ReadResponseAsync().WaitAsync(Bound);
        Assert.NotNull(response);
        Assert.Equal(400, response.StatusCode);
        Assert.Contains("The request body is malformed", response.Body);
        Assert.NotNull(response.Header("X-Fc-Request-Id"));
        Assert.Equal("close", response.Header("Connection"));
        Assert.True(await connection.IsClosedByServerAsync().WaitAsync(Bound));
    }
}
