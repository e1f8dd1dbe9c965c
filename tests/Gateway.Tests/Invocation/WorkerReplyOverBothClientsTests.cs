using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Invocation;

/// <summary>
/// One scripted reply sent to each of the gateway's two worker clients — a small event goes over its own HTTP/1.1 client,
/// a 100 KiB one over the cluster's HttpClient — and judged alike: the client sees the same answer either way.
/// </summary>
public sealed class WorkerReplyOverBothClientsTests
{
    private const string ChunkedHello = "5\r\nhello\r\n0\r\n\r\n";

    /// <summary>The event's body: none (the gateway's own client carries it) or 100 KiB (HttpClient carries it).</summary>
    public static TheoryData<int> EventBytes => [0, 100 * 1024];

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
