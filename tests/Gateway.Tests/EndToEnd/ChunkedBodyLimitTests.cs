using System.Globalization;
using System.Text;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// The body limit counts a chunked body's own bytes, not its framing: Kestrel counts the chunk sizes and line ends
/// too, and used to refuse a body within the limit sent in small chunks.
/// </summary>
public sealed class ChunkedBodyLimitTests
{
    private const int Limit = 1024;

    /// <summary>Eight bytes per chunk: the framing is more than half the body again (<c>8\r\n…\r\n</c>).</summary>
    private const int ChunkBytes = 8;

    [Theory]
    [InlineData("event")]
    [InlineData("web")]
    public async Task BodyOfExactlyTheLimit_InSmallChunks_ReachesTheWorkerWhole(string mode)
    {
        await using var worker = await TestWorker.StartAsync((context, _) => context.Response.WriteAsync("ok"));
        await using var gateway = await StartGatewayAsync(worker, mode);
        var body = new string('b', Limit);

        var response = await SendChunkedAsync(gateway, body);

        Assert.Equal(200, response.StatusCode);
        var received = Assert.Single(worker.Received);
        var bodyReceived = mode == "web" ? Encoding.ASCII.GetString(received.Body) : received.Event.GetProperty("body").GetString();
        Assert.Equal(body, bodyReceived);
    }

    [Theory]
    [InlineData("event")]
    [InlineData("web")]
    public async Task BodyOneByteOverTheLimit_InSmallChunks_Is400EntityTooLarge_AndNeverReachesTheWorkerWhole(string mode)
    {
        await using var worker = await TestWorker.StartAsync((context, _) => context.Response.WriteAsync("ok"));
        await using var gateway = await StartGatewayAsync(worker, mode);

        var response = await SendChunkedAsync(gateway, new string('b', Limit + 1));

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("\"errorCode\":\"EntityTooLarge\"", response.Body, StringComparison.Ordinal);
        Assert.All(worker.Received, received => Assert.InRange(received.Body.Length, 0, Limit));
    }

    private static Task<TestGateway> StartGatewayAsync(TestWorker worker, string mode) =>
        TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Gateway:Limits:MaxRequestBodyBytes", Limit.ToString(CultureInfo.InvariantCulture))
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", mode));

    private static Task<RawResponse> SendChunkedAsync(TestGateway gateway, string body)
    {
        var chunked = new StringBuilder();
        for (var offset = 0; offset < body.Length; offset += ChunkBytes)
        {
            var chunk = body.Substring(offset, Math.Min(ChunkBytes, body.Length - offset));
            chunked.Append(CultureInfo.InvariantCulture, $"{chunk.Length:x}\r\n{chunk}\r\n");
        }

        chunked.Append("0\r\n\r\n");
        return RawHttp.SendAsync(
            gateway.Url, "POST /echo/ HTTP/1.1\nHost: test\nTransfer-Encoding: chunked\nContent-Type: text/plain\n\n", Encoding.ASCII.GetBytes(chunked.ToString()));
    }
}
