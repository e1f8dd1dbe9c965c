using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Attacks;

/// <summary>
/// Request bodies whose framing is broken or that pass the body limit are the client's fault: 400 with FC's error
/// body and the request id, logged at Debug (so no client can write error logs on demand), on every path a
/// body is read or forwarded, and never a whole over-limit body at the worker.
/// </summary>
public sealed class BodyFramingAttackTests
{
    private const string InvokeApiPath = "/2023-03-30/functions/echo/invocations";

    [Theory]
    [InlineData("event", "/echo/", "ffffffffffffffffff")]
    [InlineData("event", InvokeApiPath, "ffffffffffffffffff")]
    [InlineData("web", "/echo/", "ffffffffffffffffff")]
    [InlineData("event", "/echo/", "zz")]
    [InlineData("event", InvokeApiPath, "zz")]
    [InlineData("web", "/echo/", "zz")]
    public async Task MalformedChunkSize_Is400InvalidArgument_LoggedAtDebug(string mode, string path, string chunkSize)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => DebugLogs(c).Set(TriggerModeKey, mode));
        var body = Latin1($"{chunkSize}\r\nabc\r\n0\r\n\r\n");

        var response = await RawHttp.SendAsync(gateway.Url, $"POST {path} HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n", body);

        AssertClientError(response, "InvalidArgument");
        Assert.Empty(worker.Received);
        await AssertLoggedAtDebugOnlyAsync(gateway, response.Header("X-Fc-Request-Id")!);
    }

    /// <remarks>
    /// Kestrel reads any Transfer-Encoding that ends in chunked as chunked and hands on the body with the codings before
    /// it still applied, while the Transfer-Encoding that names them goes no further: the worker would take compressed or
    /// still-chunked bytes for the body.
    /// </remarks>
    [Theory]
    [InlineData("event", "/echo/", "gzip, chunked")]
    [InlineData("event", "/echo/", "chunked, chunked")]
    [InlineData("event", InvokeApiPath, "deflate, chunked")]
    [InlineData("web", "/echo/", "gzip, chunked")]
    public async Task TransferCodingBesidesChunked_Is400InvalidArgument_NothingReachesTheWorker(string mode, string path, string transferEncoding)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set(TriggerModeKey, mode));

        var response = await RawHttp.SendAsync(
            gateway.Url, $"POST {path} HTTP/1.1\nHost: a\nContent-Type: text/plain\nTransfer-Encoding: {transferEncoding}\n\n", Latin1("3\r\nabc\r\n0\r\n\r\n"));

        AssertClientError(response, "InvalidArgument");
        Assert.Empty(worker.Received);
    }

    [Theory]
    [InlineData("chunked")]
    [InlineData("Chunked")]
    [InlineData(", chunked")]
    public async Task ChunkedAlone_InAnySpelling_IsReadAsTheBody(string transferEncoding)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await RawHttp.SendAsync(
            gateway.Url, $"POST /echo/ HTTP/1.1\nHost: a\nContent-Type: text/plain\nTransfer-Encoding: {transferEncoding}\n\n", Latin1("3\r\nabc\r\n0\r\n\r\n"));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("abc", Assert.Single(worker.Received).Event.GetProperty("body").GetString());
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_OnAWebRoute_Is400EntityTooLarge_AndTheWorkerNeverGetsItWhole()
    {
        const int limit = 128 * 1024;
        var firstChunkArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workerSaw = new TaskCompletionSource<(long Bytes, bool Complete)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var (workerApp, workerUrl) = await LoopbackServer.StartAsync(async context =>
        {
            if (TestWorker.IsHealthProbe(context.Request))
            {
                return;
            }

            long bytes = 0;
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
                {
                    bytes += read;
                    if (bytes >= 50_000)
                    {
                        firstChunkArrived.TrySetResult();
                    }
                }

                workerSaw.TrySetResult((bytes, true));
                await context.Response.WriteAsync("whole body received");
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                workerSaw.TrySetResult((bytes, false));
            }
        });
        await using var workerHost = workerApp;
        var config = DebugLogs(new GatewayConfiguration().WithFunction("echo", workerUrl))
            .Set(TriggerModeKey, "web")
            .Set("Gateway:Limits:MaxRequestBodyBytes", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await using var gateway = await TestGateway.StartAsync(config.Values);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync("POST /echo/ HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + Chunk('a', 100_000));
        await firstChunkArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await connection.SendAsync(Chunk('b', 40_000) + "0\r\n\r\n");
        var response = await connection.ReadResponseAsync();
        var seen = await workerSaw.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(response);
        AssertClientError(response, "EntityTooLarge");
        Assert.False(seen.Complete);
        Assert.InRange(seen.Bytes, 50_000, limit);
        await AssertLoggedAtDebugOnlyAsync(gateway, response.Header("X-Fc-Request-Id")!);
    }

    /// <remarks>
    /// Kestrel reads a body sent with both Transfer-Encoding and Content-Length as chunked and keeps the length it ignores
    /// (RFC 9112 §6.3) under another name, X-Content-Length: a header the client never sent, which no proxy would pass on.
    /// One the client sent itself, beside a body it framed with Content-Length alone, is the client's.
    /// </remarks>
    [Theory]
    [InlineData("event", "Transfer-Encoding: chunked\nContent-Length: 5", "5\r\nhello\r\n0\r\n\r\n", null)]
    [InlineData("web", "Transfer-Encoding: chunked\nContent-Length: 5", "5\r\nhello\r\n0\r\n\r\n", null)]
    [InlineData("event", "Content-Length: 5\nX-Content-Length: 7", "hello", "7")]
    [InlineData("web", "Content-Length: 5\nX-Content-Length: 7", "hello", "7")]
    public async Task ContentLengthBesideChunked_ReachesTheWorkerUnderNoOtherName(string mode, string framing, string body, string? forwarded)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set(TriggerModeKey, mode));

        var response = await RawHttp.SendAsync(gateway.Url, $"POST /echo/ HTTP/1.1\nHost: a\n{framing}\n\n", Latin1(body));

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(forwarded, ForwardedHeader(Assert.Single(worker.Received), mode, "X-Content-Length"));
    }

    /// <remarks>
    /// HttpClient sends no request trailers, and an event carries none: a <c>Trailer</c> header passed on would announce
    /// fields that never come, to a worker that may wait for them or check them (Go's net/http fills r.Trailer's keys
    /// from it, their values empty).
    /// </remarks>
    [Theory]
    [InlineData("event")]
    [InlineData("web")]
    public async Task TrailersAnnounced_TheAnnouncementDoesNotReachTheWorker(string mode)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set(TriggerModeKey, mode));

        var response = await RawHttp.SendAsync(
            gateway.Url, "POST /echo/ HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\nTrailer: X-Checksum\n\n", Latin1("5\r\nhello\r\n0\r\nX-Checksum: abc\r\n\r\n"));

        Assert.Equal(200, response.StatusCode);
        Assert.Null(ForwardedHeader(Assert.Single(worker.Received), mode, "Trailer"));
    }

    private const string TriggerModeKey = "ReverseProxy:Routes:echo:Metadata:TriggerMode";

    /// <summary>A header as the worker got it: in a web request's head, in an event's <c>headers</c>.</summary>
    private static string? ForwardedHeader(ReceivedRequest received, string mode, string name) =>
        mode == "web"
            ? received.Header(name)
            : received.Event.GetProperty("headers").EnumerateObject().Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value.GetString()).SingleOrDefault();

    /// <summary>The shipped <c>appsettings.json</c> log levels, with the gateway's own categories down to Debug.</summary>
    private static GatewayConfiguration DebugLogs(GatewayConfiguration config)
    {
        var shipped = new ConfigurationBuilder().AddJsonFile(RepositoryRoot.File("appsettings.json")).Build();
        foreach (var (key, value) in shipped.GetSection("Logging:LogLevel").AsEnumerable())
        {
            config.Set(key, value);
        }

        // A configured function, so start-up logs no warning about one running with the defaults.
        config.Set("Gateway:Functions:echo:MemorySize", "512");

        return config.Set("Logging:LogLevel:FcGateway", "Debug");
    }

    private static string Chunk(char fill, int size) => $"{size:x}\r\n{new string(fill, size)}\r\n";

    private static byte[] Latin1(string text) => System.Text.Encoding.Latin1.GetBytes(text);

    private static void AssertClientError(RawResponse response, string errorCode)
    {
        Assert.Equal(400, response.StatusCode);
        Assert.StartsWith($"{{\"errorCode\":\"{errorCode}\"", response.Body, StringComparison.Ordinal);
        Assert.NotNull(response.Header("X-Fc-Request-Id"));
    }

    /// <summary>
    /// The rejection is logged at Debug; above it only the access line, and with the shipped log levels no warning or
    /// error at all (YARP's forwarder warns of every failed forward, which the gateway logs itself). The lines are
    /// written once the response is, so they are awaited: the access line is the request's last.
    /// </summary>
    private static async Task AssertLoggedAtDebugOnlyAsync(TestGateway gateway, string requestId)
    {
        const string accessLine = "Information FcGateway.Diagnostics.InvocationTelemetry:";
        bool AboutRequest(string line) => line.Contains(requestId, StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line => AboutRequest(line) && line.StartsWith(accessLine, StringComparison.Ordinal)));
        var aboutRequest = gateway.Logs.Lines.Where(AboutRequest).ToList();
        Assert.Contains(aboutRequest, line => line.StartsWith("Debug ", StringComparison.Ordinal));
        Assert.All(
            aboutRequest.Where(line => !line.StartsWith("Debug ", StringComparison.Ordinal)),
            line => Assert.StartsWith(accessLine, line, StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.StartsWith("Warning ", StringComparison.Ordinal) || line.StartsWith("Error ", StringComparison.Ordinal) || line.StartsWith("Critical ", StringComparison.Ordinal));
    }
}
