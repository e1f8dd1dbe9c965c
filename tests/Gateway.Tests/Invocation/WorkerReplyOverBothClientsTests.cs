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

    /// <summary>
    /// As HttpClient: a <c>Transfer-Encoding</c> line names chunked only as a valid list of codings (empty items,
    /// parameters and white space allowed) with a <c>chunked</c> without parameters in it; otherwise the body is read by
    /// its Content-Length, else to the connection's end (here: the chunk framing itself).
    /// </summary>
    [Theory]
    [InlineData("CHUNKED", true)]
    [InlineData("  chunked\t ", true)]
    [InlineData(", chunked,,", true)]
    [InlineData("gzip;x, chunked", true)]
    [InlineData("gzip ; x = 1;y=\"a, b\", chunked", true)]
    [InlineData("chunked;x=1", false)]
    [InlineData("chunked;", false)]
    [InlineData("chunked, @@", false)]
    [InlineData("@@, chunked", false)]
    [InlineData("x/y, chunked", false)]
    [InlineData("gzip;, chunked", false)]
    [InlineData("gzip;x=@, chunked", false)]
    [InlineData("gzip;x=\"a, chunked", false)]
    [InlineData("", false)]
    public async Task ATransferEncodingLine_NamesChunkedAsHttpClientReadsIt(string value, bool chunked)
    {
        foreach (var eventBytes in new[] { 0, WorkerConnections.MaxPayloadBytes })
        {
            await AssertOutputAsync($"HTTP/1.1 200 OK\r\nTransfer-Encoding: {value}\r\n\r\n{ChunkedHello}", eventBytes, chunked ? "hello" : ChunkedHello);
        }
    }

    [Theory]
    [MemberData(nameof(EventBytes))]
    public Task AnEmptyTransferEncodingLine_LeavesTheBodyToItsContentLength(int eventBytes) =>
        AssertOutputAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\nContent-Length: 5\r\n\r\nhello world", eventBytes, "hello");

    /// <summary>As HttpClient: white space may follow a chunk's size, before its extensions; before the size, it is a bad response.</summary>
    [Theory]
    [InlineData("5 \t;x=1\r\nhello\r\n0\r\n\r\n", true)]
    [InlineData(" 5\r\nhello\r\n0\r\n\r\n", false)]
    [InlineData("\t5\r\nhello\r\n0\r\n\r\n", false)]
    [InlineData("5\r\nhello\r\n 0\r\n\r\n", false)]
    public async Task WhiteSpaceAroundAChunkSize_IsReadAsHttpClientReadsIt(string body, bool valid)
    {
        foreach (var eventBytes in new[] { 0, WorkerConnections.MaxPayloadBytes })
        {
            var reply = $"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{body}";
            await (valid ? AssertOutputAsync(reply, eventBytes, "hello") : AssertBadResponseAsync(reply, eventBytes));
        }
    }

    /// <summary>
    /// As HttpClient: trailers, their line ends and the blank line after them included, may have what the head left of its
    /// 64 KiB, and each must be a field.
    /// </summary>
    [Theory]
    [InlineData(0, 63 * 1024, true)]
    [InlineData(40 * 1024, 20 * 1024, true)]
    [InlineData(40 * 1024, 30 * 1024, false)]
    public async Task Trailers_HaveWhatTheHeadLeftOfItsLimit(int headPadBytes, int trailerBytes, bool fits)
    {
        foreach (var eventBytes in new[] { 0, WorkerConnections.MaxPayloadBytes })
        {
            var reply = $"HTTP/1.1 200 OK\r\nX-Pad: {new string('p', headPadBytes)}\r\nTransfer-Encoding: chunked\r\n\r\n"
                + $"5\r\nhello\r\n0\r\nX-Trailer: {new string('t', trailerBytes)}\r\n\r\n";
            await (fits ? AssertOutputAsync(reply, eventBytes, "hello") : AssertBadResponseAsync(reply, eventBytes));
        }
    }

    /// <summary>The limit to the byte: head and trailers of 64 KiB together are read, one byte more is a bad response.</summary>
    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    public async Task HeadAndTrailers_AreReadUpTo64KiBTogether(int bytesOver, bool fits)
    {
        const string Head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Pad: ";
        const string Trailer = "X-Trailer: ";
        var padBytes = 30 * 1024;
        var trailerBytes = (64 * 1024) - Head.Length - padBytes - "\r\n\r\n".Length - Trailer.Length - "\r\n\r\n".Length + bytesOver;
        var reply = $"{Head}{new string('p', padBytes)}\r\n\r\n5\r\nhello\r\n0\r\n{Trailer}{new string('t', trailerBytes)}\r\n\r\n";
        foreach (var eventBytes in new[] { 0, WorkerConnections.MaxPayloadBytes })
        {
            await (fits ? AssertOutputAsync(reply, eventBytes, "hello") : AssertBadResponseAsync(reply, eventBytes));
        }
    }

    [Theory]
    [MemberData(nameof(EventBytes))]
    public Task ATrailerThatIsNoField_IsABadResponse(int eventBytes) =>
        AssertBadResponseAsync($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nno field\r\n\r\n", eventBytes);

    /// <summary>
    /// A function error's Content-Type, which the invocation API passes on with its body, as the HttpClient path reads it:
    /// parsed as a media type and written again, a NUL or a CR in it a space; none (the API's own) when it is no media type.
    /// </summary>
    [Theory]
    [InlineData("text/plain;charset=utf-8", "text/plain; charset=utf-8")]
    [InlineData("TEXT/Plain ;  a=b", "TEXT/Plain; a=b")]
    [InlineData("text/plain\0", "text/plain")]
    [InlineData("text/plain;a=\"x\ry\"", "text/plain; a=\"x y\"")]
    [InlineData("text/pl\u0001ain", "application/octet-stream")]
    [InlineData("nonsense", "application/octet-stream")]
    [InlineData("text/plain, text/html", "application/octet-stream")]
    public async Task AFunctionErrorsContentType_IsPassedOnAsTheHttpClientPathReadsIt(string workerContentType, string expected)
    {
        foreach (var payloadBytes in new[] { 2, WorkerConnections.MaxPayloadBytes + 1 })
        {
            await using var worker = WireWorker.Start(_ => $"HTTP/1.1 500 Oops\r\nContent-Type: {workerContentType}\r\nContent-Length: 4\r\n\r\noops", closeAfterReply: true);
            await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);

            using var invoked = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new ByteArrayContent(new byte[payloadBytes]));

            var client = payloadBytes > WorkerConnections.MaxPayloadBytes ? "HttpClient" : "the gateway's client";
            Assert.Equal($"{client}: {HttpStatusCode.OK} {expected} oops", $"{client}: {invoked.StatusCode} {invoked.Content.Headers.ContentType} {await invoked.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task AssertBadResponseAsync(string reply, int eventBytes)
    {
        await using var worker = WireWorker.Start(_ => reply, closeAfterReply: true);
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);

        using var response = await InvokeAsync(gateway, eventBytes);

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=bad_response"));
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
