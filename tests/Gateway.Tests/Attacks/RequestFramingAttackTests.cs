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
}
