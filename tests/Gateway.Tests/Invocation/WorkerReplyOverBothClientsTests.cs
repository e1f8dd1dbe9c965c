using System.Net;
using FcGateway.Dispatch.Push.Http1;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Invocation;

/// <summary>
/// One scripted reply sent to each of the gateway's two worker clients — a small event goes over its own HTTP/1.1 client,
/// one with a body of WorkerConnections.MaxPayloadBytes over the cluster's HttpClient — and judged alike: the client sees the same answer either way.
/// </summary>
public sealed class WorkerReplyOverBothClientsTests
{
    private const string ChunkedHello = "5\r\nhello\r\n0\r\n\r\n";

    /// <summary>The event's body: none (the gateway's own client carries it) or one too large for one send (HttpClient carries it).</summary>
    public static TheoryData<int> EventBytes => [0, WorkerConnections.MaxPayloadBytes];

    /// <summary>
    /// As HttpClient: a body is chunked when any coding of any <c>Transfer-Encoding</c> line is <c>chunked</c>, last or not;
    /// the other codings are left applied. The worker closes its end after the reply: read to it, the body would be the
    /// chunk framing itself.
    /// </summary>
    [Theory]
    [MemberData(nameof(EventBytes))]
    public Task ChunkedNotLast_IsChunked(int eventBytes) =>
        AssertOutputAsync($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n{ChunkedHello}", eventBytes, "hello");

    [Theory]
    [MemberData(nameof(EventBytes))]
    public Task ChunkedOnTheFirstOfTwoTransferEncodingLines_IsChunked(int eventBytes) =>
        AssertOutputAsync($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n{ChunkedHello}", eventBytes, "hello");

    /// <summary>As HttpClient: a Transfer-Encoding without <c>chunked</c> leaves the body to its Content-Length.</summary>
    [Theory]
    [MemberData(nameof(EventBytes))]
    public Task ATransferEncodingWithoutChunked_LeavesTheBodyToItsContentLength(int eventBytes) =>
        AssertOutputAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\nhello world", eventBytes, "hello");

    /// <summary>
    /// SocketsHttpHandler's limit on a chunk's size line, extensions and line end included: 16 KiB. Past it, HttpClient
    /// throws an <see cref="HttpRequestException"/> with no <see cref="HttpRequestError"/>, which reads as a worker that
    /// went away (<c>worker_crashed</c>), not as the bad response a broken chunk is: the gateway's own client judges it so too.
    /// </summary>
    [Theory]
    [InlineData(0, 16 * 1024, HttpStatusCode.OK)]
    [InlineData(WorkerConnections.MaxPayloadBytes, 16 * 1024, HttpStatusCode.OK)]
    [InlineData(0, (16 * 1024) + 1, HttpStatusCode.BadGateway)]
    [InlineData(WorkerConnections.MaxPayloadBytes, (16 * 1024) + 1, HttpStatusCode.BadGateway)]
    public async Task AChunkSizeLine_IsReadUpToHttpClientsLimit(int eventBytes, int lineBytes, HttpStatusCode status)
    {
        var sizeLine = "5;" + new string('x', lineBytes - "5;\r\n".Length) + "\r\n";
        await using var worker = WireWorker.Start(_ => $"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{sizeLine}hello\r\n0\r\n\r\n", closeAfterReply: true);
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);

        using var response = await InvokeAsync(gateway, eventBytes);

        if (status == HttpStatusCode.OK)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("hello", await response.Content.ReadAsStringAsync());
        }
        else
        {
            await ErrorPathTests.AssertFunctionFailedAsync(response);
            await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=worker_crashed"));
            Assert.Contains(gateway.Logs.Lines, line => line.Contains("The HTTP/1.1 response chunk was too large.", StringComparison.Ordinal));
        }
    }

    private static async Task AssertOutputAsync(string reply, int eventBytes, string output)
    {
        await using var worker = WireWorker.Start(_ => reply, closeAfterReply: true);
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);

        using var response = await InvokeAsync(gateway, eventBytes);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(output, await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> InvokeAsync(TestGateway gateway, int eventBytes) =>
        eventBytes == 0 ? gateway.Client.GetAsync("/echo/") : gateway.Client.PostAsync("/echo/", new ByteArrayContent(new byte[eventBytes]));
}
