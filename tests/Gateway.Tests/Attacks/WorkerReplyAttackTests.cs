using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// A hostile or broken function controls its output: a status that is not an HTTP final status must become a
/// 502, and a header that would split the response must be dropped — on a keep-alive connection that stays in
/// step for the next request.
/// </summary>
public sealed class WorkerReplyAttackTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("0")]
    [InlineData("99")]
    [InlineData("600")]
    [InlineData("\"200\"")]
    [InlineData("2.5")]
    [InlineData("1e3")]
    [InlineData("-200")]
    [InlineData("null")]
    public async Task InvalidStatusFromFunction_Returns502_AndTheConnectionServesTheNextRequest(string statusCode)
    {
        await using var worker = await WorkerAnsweringAsync($$"""{"statusCode":{{statusCode}},"body":"hostile"}""");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync("GET /echo/attack HTTP/1.1\r\nHost: a\r\n\r\n");
        var refused = await connection.ReadResponseAsync().WaitAsync(Bound);
        await connection.SendAsync("GET /echo/next HTTP/1.1\r\nHost: a\r\n\r\n");
        var next = await connection.ReadResponseAsync().WaitAsync(Bound);

        Assert.NotNull(refused);
        Assert.Equal(502, refused.StatusCode);
        Assert.Equal("Internal Server Error", refused.Body);
        Assert.NotNull(refused.Header("X-Fc-Request-Id"));
        Assert.NotNull(next);
        Assert.Equal(200, next.StatusCode);
        Assert.Equal("next", next.Body);
    }

    [Theory]
    [InlineData("""{"X-A":"a\r\nSet-Cookie: evil=1"}""")]
    [InlineData("""{"X-A":"a\nSet-Cookie: evil=1"}""")]
    [InlineData("""{"X-A":"a\rSet-Cookie: evil=1"}""")]
    [InlineData("""{"X-A":"a\u0000Set-Cookie: evil=1"}""")]
    [InlineData("""{"X-A":["ok","a\r\nSet-Cookie: evil=1"]}""")]
    [InlineData("""{"Bad Name":"v"}""")]
    [InlineData("""{"Set-Cookie: evil=1\r\nX-A":"v"}""")]
    [InlineData("""{"X-A:":"v"}""")]
    [InlineData("""{"":"v"}""")]
    public async Task InvalidHeaderFromFunction_IsDropped_NothingInjected_ResponseOtherwiseIntact(string headers)
    {
        await using var worker = await WorkerAnsweringAsync($$"""{"statusCode":201,"headers":{{headers}},"body":"kept"}""");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync("GET /echo/attack HTTP/1.1\r\nHost: a\r\n\r\n");
        var response = await connection.ReadResponseAsync().WaitAsync(Bound);
        await connection.SendAsync("GET /echo/next HTTP/1.1\r\nHost: a\r\n\r\n");
        var next = await connection.ReadResponseAsync().WaitAsync(Bound);

        Assert.NotNull(response);
        Assert.Equal(201, response.StatusCode);
        Assert.Equal("kept", response.Body);
        Assert.NotNull(response.Header("X-Fc-Request-Id"));
        Assert.Null(response.Header("Set-Cookie"));
        Assert.DoesNotContain(response.Headers, h => h.Key.Contains(' ', StringComparison.Ordinal) || h.Value.Contains("evil", StringComparison.Ordinal));
        Assert.NotNull(next);
        Assert.Equal(200, next.StatusCode);
        Assert.Equal("next", next.Body);
    }

    /// <summary>A worker answering <c>/echo/attack</c> with <paramref name="output"/> and anything else with a plain 200.</summary>
    private static Task<TestWorker> WorkerAnsweringAsync(string output) => TestWorker.StartAsync((context, received) =>
    {
        var reply = received.Event.GetProperty("rawPath").GetString() == "/echo/attack"
            ? output
            : """{"statusCode":200,"body":"next"}""";
        return TestWorker.Reply(context, 200, reply, fcStatus: "200");
    });
}
