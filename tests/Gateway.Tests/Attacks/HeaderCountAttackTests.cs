using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>The gateway's header rule is FC's 8 KB total; the number of fields is not a limit of its own.</summary>
public sealed class HeaderCountAttackTests
{
    [Fact]
    public async Task ManySmallHeaderFields_UnderTheTotal_AreServed()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await SendWithHeadersAsync(gateway, count: 300, valueLength: 4);

        Assert.Equal(200, response.StatusCode);
        Assert.NotNull(response.Header("X-Fc-Request-Id"));
        var headers = Assert.Single(worker.Received).Event.GetProperty("headers");
        Assert.Equal("vvvv", headers.GetProperty("X-H299").GetString());
    }

    [Fact]
    public async Task ManyHeaderFields_OverTheTotal_Return400WithTheRequestId()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await SendWithHeadersAsync(gateway, count: 150, valueLength: 60);

        Assert.Equal(400, response.StatusCode);
        Assert.NotNull(response.Header("X-Fc-Request-Id"));
        Assert.Contains("\"errorCode\":\"InvalidArgument\"", response.Body, StringComparison.Ordinal);
        Assert.Empty(worker.Received);
    }

    private static async Task<RawResponse> SendWithHeadersAsync(TestGateway gateway, int count, int valueLength)
    {
        var head = new StringBuilder("GET /echo/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\n");
        for (var i = 0; i < count; i++)
        {
            head.Append("X-H").Append(i).Append(": ").Append('v', valueLength).Append("\r\n");
        }

        await using var connection = await RawConnection.OpenAsync(gateway.Url);
        await connection.SendAsync(head.Append("\r\n").ToString());
        return await connection.ReadResponseAsync() ?? throw new IOException("The gateway closed the connection without a response.");
    }
}
