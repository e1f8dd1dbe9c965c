using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// A function that answers with a 1xx <c>statusCode</c> must not make the gateway send an interim response as
/// the answer: a pipelining client would read the next request's response as this one's.
/// </summary>
public sealed class InterimStatusAttackTests
{
    [Theory]
    [InlineData(100)]
    [InlineData(101)]
    [InlineData(103)]
    [InlineData(199)]
    public async Task InterimStatusFromFunction_IsBadResponse_AndPipelinedRequestsStayInStep(int interimStatus)
    {
        await using var worker = await TestWorker.StartAsync((context, received) =>
        {
            var output = received.Event.GetProperty("rawPath").GetString() == "/echo/interim"
                ? $$"""{"statusCode":{{interimStatus}},"body":"s"}"""
                : """{"statusCode":200,"body":"second"}""";
            return TestWorker.Reply(context, 200, output, fcStatus: "200");
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync(
            "GET /echo/interim HTTP/1.1\r\nHost: a\r\n\r\n" +
            "GET /echo/next HTTP/1.1\r\nHost: a\r\n\r\n");

        var first = await connection.ReadResponseAsync();
        var second = await connection.ReadResponseAsync();

        Assert.NotNull(first);
        Assert.Equal(502, first.StatusCode);
        Assert.Equal("Internal Server Error", first.Body);
        Assert.NotNull(first.Header("X-Fc-Request-Id"));
        Assert.NotNull(second);
        Assert.Equal(200, second.StatusCode);
        Assert.Equal("second", second.Body);
    }
}
