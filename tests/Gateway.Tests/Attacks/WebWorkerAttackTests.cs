using System.Net;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// What a web worker answers is held to the same rules as an event function's output: a body over
/// <c>MaxResponseBodyBytes</c> never reaches the client whole, and an interim or switching response never
/// desynchronises a keep-alive client.
/// </summary>
public sealed class WebWorkerAttackTests
{
    private const int ResponseLimit = 1024;
    private const string Second = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond";

    [Fact]
    public async Task DeclaredBodyOverTheResponseLimit_Is502_BeforeAnythingIsSent()
    {
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            context.Response.ContentLength = ResponseLimit + 1;
            await context.Response.Body.WriteAsync(new byte[ResponseLimit + 1]);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c).Set("Gateway:Limits:MaxResponseBodyBytes", $"{ResponseLimit}"));

        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"exceeds {ResponseLimit} bytes"));
    }

    [Theory]
    [InlineData(1024, 200)]
    [InlineData(1025, 502)]
    public async Task ResponseHeadersOverTheLimit_Are502_AtTheLimitTheyPass(int headerBytes, int status)
    {
        // Counted as a function's output headers are: each name and value. Date, Server, Content-Length and the rest are
        // the worker's too, so the test's header fills what they leave of the limit.
        await using var worker = CannedResponseWorker.Start(_ =>
        {
            const string fixedHeaders = "Content-Length2";
            var filler = new string('a', headerBytes - fixedHeaders.Length - "X-Big".Length);
            return $"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Big: {filler}\r\n\r\nok";
        });
        await using var gateway = await TestGateway.StartAsync(Web(new GatewayConfiguration().WithFunction("echo", worker.Url))
            .Set("Gateway:Limits:MaxResponseHeaderBytes", "1024").Values);

        var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(status, (int)response.StatusCode);
        if (status == 502)
        {
            await ErrorPathTests.AssertFunctionFailedAsync(response);
            await Eventually.HoldsAsync(() => gateway.Logs.Contains("response headers exceed 1024 bytes"));
        }
        else
        {
            Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        }
    }

    /// <remarks>
    /// The server refuses to write such a value; it is dropped and logged as an event function's output header is (wire
    /// contract §3), not made a 502 of the whole response. Raw UTF-8 ("José", as Node and Go servers write it) is outside
    /// ASCII too.
    /// </remarks>
    [Fact]
    public async Task ResponseHeaderValue_WithAControlCharacterOrOutsideAscii_IsDropped_TheResponseIntact()
    {
        await using var worker = CannedResponseWorker.Start(_ =>
            "HTTP/1.1 200 OK\r\nX-Escape: a\u001b[31mred\r\nX-Name: Jos\u00c3\u00a9\r\nContent-Language: Jos\u00c3\u00a9\r\nX-Ok: fine\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await TestGateway.StartAsync(Web(new GatewayConfiguration().WithFunction("echo", worker.Url)).Values);

        var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("fine", Assert.Single(response.Headers.GetValues("X-Ok")));
        Assert.False(response.Headers.Contains("X-Escape"));
        Assert.False(response.Headers.Contains("X-Name"));
        Assert.False(response.Content.Headers.Contains("Content-Language"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("returned invalid response headers, which were dropped: 'X-Escape', 'X-Name', 'Content-Language'."));
        Assert.Single(gateway.Logs.Lines, line => line.Contains("returned invalid response headers", StringComparison.Ordinal));
    }

    /// <remarks>Trailers reach HTTP/2 clients (gRPC reads its status there), so they are header fields the worker sets too.</remarks>
    [Fact]
    public async Task ResponseTrailers_ThatAFunctionMayNotSet_NeverReachTheClient_TheOthersDo()
    {
        var (response, _) = await GetWithTrailersAsync(
            "X-Fc-Request-Id, X-Fc-Error-Type, X-Ok", "X-Fc-Request-Id: forged\r\nx-fc-error-type: UnhandledInvocationError\r\nServer: forged\r\nX-Ok: fine");

        Assert.Equal("fine", Assert.Single(response.TrailingHeaders.GetValues("X-Ok")));
        Assert.False(response.TrailingHeaders.Contains("X-Fc-Request-Id"));
        Assert.False(response.TrailingHeaders.Contains("X-Fc-Error-Type"));
        Assert.False(response.TrailingHeaders.Contains("Server"));
    }

    /// <remarks>
    /// The server refuses to write such a value in a trailer as in a header: it failed the stream (RST_STREAM
    /// INTERNAL_ERROR) after the body, logged as a fault of the gateway's own with its stack trace.
    /// </remarks>
    [Fact]
    public async Task ResponseTrailerValue_WithAControlCharacterOrOutsideAscii_IsDroppedAndLogged_TheResponseIntact()
    {
        var (response, logs) = await GetWithTrailersAsync("X-Escape, X-Name, X-Ok", "X-Escape: a\u001b[31mred\r\nX-Name: Jos\u00c3\u00a9\r\nX-Ok: fine");

        Assert.Equal("fine", Assert.Single(response.TrailingHeaders.GetValues("X-Ok")));
        Assert.False(response.TrailingHeaders.Contains("X-Escape"));
        Assert.False(response.TrailingHeaders.Contains("X-Name"));
        await Eventually.HoldsAsync(() => logs.Contains("returned invalid response trailers, which were dropped: 'X-Escape', 'X-Name'."));
        Assert.False(logs.Contains("unexpected gateway fault"));
    }

    [Theory]
    [InlineData("X-Sum, X-Fc-Evil", "X-Sum")]
    [InlineData("x-fc-request-id,X-Sum , Server,X-Ok", "X-Sum, X-Ok")]
    public async Task TrailerHeader_NamingTrailersThatAFunctionMayNotSet_AnnouncesOnlyTheOthers(string announced, string kept)
    {
        var (response, _) = await GetWithTrailersAsync(announced, "X-Sum: 3\r\nX-Fc-Evil: 1\r\nX-Ok: fine");

        Assert.Equal(kept, string.Join(", ", response.Headers.GetValues("Trailer")));
        Assert.Equal("3", Assert.Single(response.TrailingHeaders.GetValues("X-Sum")));
        Assert.False(response.TrailingHeaders.Contains("X-Fc-Evil"));
    }

    /// <remarks>Kestrel writes no trailers to an HTTP/1.1 response, so over HTTP/1.1 every announced trailer would never come.</remarks>
    [Theory]
    [InlineData("2.0", "X-Fc-Evil, Server", "X-Fc-Evil: 1\r\nServer: forged")]
    [InlineData("1.1", "X-Fc-Evil, Server", "X-Fc-Evil: 1\r\nServer: forged")]
    [InlineData("1.1", "X-Sum, X-Fc-Evil", "X-Sum: 3\r\nX-Fc-Evil: 1")]
    public async Task TrailerHeader_NamingNoTrailerTheClientGets_IsLeftOut(string version, string announced, string trailers)
    {
        var (response, _) = await GetWithTrailersAsync(announced, trailers, Version.Parse(version));

        Assert.False(response.Headers.Contains("Trailer"));
        Assert.Empty(response.TrailingHeaders);
    }

    /// <summary>A route that turns trailer copying off (YARP's <c>ResponseTrailersCopy</c>) sends no trailer: it announces none either.</summary>
    [Fact]
    public async Task TrailerHeader_OnARouteThatCopiesNoTrailers_IsLeftOut()
    {
        var (response, _) = await GetWithTrailersAsync(
            "X-Sum", "X-Sum: 3", configure: c => c.Set("ReverseProxy:Routes:echo:Transforms:0:ResponseTrailersCopy", "false"));

        Assert.False(response.Headers.Contains("Trailer"));
        Assert.Empty(response.TrailingHeaders);
    }

    /// <summary>A route that copies some trailers only (YARP's <c>ResponseTrailersAllowed</c>) announces those it sends.</summary>
    [Fact]
    public async Task TrailerHeader_OnARouteThatCopiesSomeTrailers_NamesThose()
    {
        var (response, _) = await GetWithTrailersAsync(
            "X-Sum, X-Other", "X-Sum: 3\r\nX-Other: 4", configure: c => c.Set("ReverseProxy:Routes:echo:Transforms:0:ResponseTrailersAllowed", "X-Sum"));

        Assert.Equal("3", Assert.Single(response.TrailingHeaders.GetValues("X-Sum")));
        Assert.False(response.TrailingHeaders.Contains("X-Other"));
        Assert.Equal("X-Sum", Assert.Single(response.Headers.GetValues("Trailer")));
    }

    /// <summary>
    /// A route that copies some trailers only is held to the gateway's rules too: YARP's own copy of the names it allows
    /// would pass on those a function may not set.
    /// </summary>
    [Fact]
    public async Task ResponseTrailers_OnARouteThatCopiesSomeTrailers_ThatAFunctionMayNotSet_NeverReachTheClient()
    {
        var (response, _) = await GetWithTrailersAsync(
            "X-Fc-Request-Id, Server, X-Ok, X-Other",
            "X-Fc-Request-Id: forged\r\nServer: forged\r\nX-Ok: fine\r\nX-Other: 4",
            configure: c => c.Set("ReverseProxy:Routes:echo:Transforms:0:ResponseTrailersAllowed", "x-fc-request-id;SERVER;x-ok"));

        Assert.Equal("fine", Assert.Single(response.TrailingHeaders.GetValues("X-Ok")));
        Assert.False(response.TrailingHeaders.Contains("X-Fc-Request-Id"));
        Assert.False(response.TrailingHeaders.Contains("Server"));
        Assert.False(response.TrailingHeaders.Contains("X-Other"));
        Assert.Equal("X-Ok", Assert.Single(response.Headers.GetValues("Trailer")));
    }

    /// <summary>YARP's own copy of the trailers a route allows would write an invalid value, and the stream would fail after its body.</summary>
    [Fact]
    public async Task ResponseTrailerValue_OnARouteThatCopiesSomeTrailers_WithAControlCharacterOrOutsideAscii_IsDroppedAndLogged()
    {
        var (response, logs) = await GetWithTrailersAsync(
            "X-Escape, X-Name, X-Ok, X-Other",
            "X-Escape: a\u001b[31mred\r\nX-Name: Jos\u00c3\u00a9\r\nX-Ok: fine\r\nX-Other: 4",
            configure: c => c.Set("ReverseProxy:Routes:echo:Transforms:0:ResponseTrailersAllowed", "X-Escape;X-Name;X-Ok"));

        Assert.Equal("fine", Assert.Single(response.TrailingHeaders.GetValues("X-Ok")));
        Assert.False(response.TrailingHeaders.Contains("X-Escape"));
        Assert.False(response.TrailingHeaders.Contains("X-Name"));
        Assert.False(response.TrailingHeaders.Contains("X-Other"));
        await Eventually.HoldsAsync(() => logs.Contains("returned invalid response trailers, which were dropped: 'X-Escape', 'X-Name'."));
        Assert.False(logs.Contains("unexpected gateway fault"));
    }

    /// <summary>
    /// A GET over HTTP/<paramref name="version"/> (2 unless told) to a web function whose worker answers "ok" chunked,
    /// announcing <paramref name="announced"/> and sending <paramref name="trailers"/> (CRLF-separated lines); the response
    /// read whole, and the gateway's log.
    /// </summary>
    private static async Task<(HttpResponseMessage Response, CapturedLogs Logs)> GetWithTrailersAsync(
        string announced, string trailers, Version? version = null, Action<GatewayConfiguration>? configure = null)
    {
        version ??= HttpVersion.Version20;
        await using var worker = CannedResponseWorker.Start(_ =>
            $"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: {announced}\r\n\r\n2\r\nok\r\n0\r\n{trailers}\r\n\r\n");
        var config = Web(new GatewayConfiguration().WithFunction("echo", worker.Url))
            .Set("Kestrel:EndpointDefaults:Protocols", version == HttpVersion.Version20 ? "Http2" : "Http1");
        configure?.Invoke(config);
        await using var gateway = await TestGateway.StartAsync(config.Values);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/") { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var response = await gateway.Client.SendAsync(request);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        return (response, gateway.Logs);
    }

    [Fact]
    public async Task StreamedBodyPassingTheResponseLimit_AfterTheResponseStarted_CutsTheConnection_AndLogsWhy()
    {
        var responseStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            await context.Response.Body.WriteAsync(new byte[ResponseLimit - 24]);
            await context.Response.Body.FlushAsync();
            await responseStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await context.Response.Body.WriteAsync(new byte[48]);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c).Set("Gateway:Limits:MaxResponseBodyBytes", $"{ResponseLimit}"));

        using var response = await gateway.Client.GetAsync("/echo/", HttpCompletionOption.ResponseHeadersRead);
        responseStarted.SetResult();
        var cut = await Record.ExceptionAsync(() => response.Content.ReadAsByteArrayAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(cut is HttpRequestException or IOException, $"The body ended without an error: {cut}");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"Reading the worker's response body failed (YARP ResponseBodyDestination): The web function's response body exceeds {ResponseLimit} bytes."));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"outcome=bad_response durationMs="));
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("outcome=bad_response", StringComparison.Ordinal) && line.Contains($" bytesOut={ResponseLimit - 24} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeclaredBodyTheWorkerCutsShort_CutsTheConnection_AndLogsTheBytesSentAsTheWorkersFault()
    {
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            context.Response.ContentLength = 100;
            await context.Response.Body.WriteAsync("hello"u8.ToArray());
            await context.Response.Body.FlushAsync();
            await Task.Delay(100);
            context.Abort();
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c));

        using var response = await gateway.Client.GetAsync("/echo/", HttpCompletionOption.ResponseHeadersRead);
        var cut = await Record.ExceptionAsync(() => response.Content.ReadAsByteArrayAsync());

        Assert.True(cut is HttpRequestException or IOException, $"The body ended without an error: {cut}");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=worker_crashed"));
        Assert.True(gateway.Logs.Contains("Reading the worker's response body failed (YARP ResponseBodyDestination)"));
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("outcome=worker_crashed", StringComparison.Ordinal) && line.Contains(" bytesOut=5 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BodyAtTheResponseLimit_StreamsThrough()
    {
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            await context.Response.Body.WriteAsync(new byte[ResponseLimit / 2]);
            await context.Response.Body.FlushAsync();
            await context.Response.Body.WriteAsync(new byte[ResponseLimit / 2]);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => Web(c).Set("Gateway:Limits:MaxResponseBodyBytes", $"{ResponseLimit}"));

        var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ResponseLimit, (await response.Content.ReadAsByteArrayAsync()).Length);
    }

    [Theory]
    [InlineData("100 Continue")]
    [InlineData("102 Processing")]
    [InlineData("103 Early Hints\r\nLink: </style.css>; rel=preload")]
    public async Task InterimResponseFromAWebWorker_TheClientGetsTheFinalOne_AndPipelinedRequestsStayInStep(string interim)
    {
        await using var worker = CannedResponseWorker.Start(requestLine => requestLine.Contains("/echo/interim", StringComparison.Ordinal)
            ? $"HTTP/1.1 {interim}\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal"
            : Second);
        await using var gateway = await TestGateway.StartAsync(Web(new GatewayConfiguration().WithFunction("echo", worker.Url)).Values);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync("GET /echo/interim HTTP/1.1\r\nHost: a\r\n\r\nGET /echo/next HTTP/1.1\r\nHost: a\r\n\r\n");
        var first = await connection.ReadResponseAsync();
        while (first is { StatusCode: < 200 })
        {
            first = await connection.ReadResponseAsync();
        }

        var second = await connection.ReadResponseAsync();

        Assert.NotNull(first);
        Assert.Equal(200, first.StatusCode);
        Assert.Equal("final", first.Body);
        Assert.NotNull(second);
        Assert.Equal("second", second.Body);
    }

    /// <summary>
    /// A reply head no client could be given: switching protocols on a plain request, or a status HttpClient reads but HTTP
    /// has not (100–599).
    /// </summary>
    [Theory]
    [InlineData("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n")]
    [InlineData("HTTP/1.1 000 Odd\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 099 Odd\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 600 Odd\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.1 999 Odd\r\nContent-Length: 2\r\n\r\nok")]
    public async Task AReplyHeadNoClientCouldBeGiven_Is502_AndPipelinedRequestsStayInStep(string head)
    {
        await using var worker = CannedResponseWorker.Start(requestLine => requestLine.Contains("/echo/odd", StringComparison.Ordinal) ? head : Second);
        await using var gateway = await TestGateway.StartAsync(Web(new GatewayConfiguration().WithFunction("echo", worker.Url)).Values);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync("GET /echo/odd HTTP/1.1\r\nHost: a\r\n\r\nGET /echo/next HTTP/1.1\r\nHost: a\r\n\r\n");
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

    /// <summary>
    /// A 204 or 205 has no content, and Kestrel refuses to send a body or a length with one: a reply that declares some
    /// anyway reaches the client as its status and headers, with the request id, rather than failing under way.
    /// </summary>
    [Theory]
    [InlineData("GET", 204, "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\nX-Kept: yes\r\n\r\n")]
    [InlineData("HEAD", 204, "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\nX-Kept: yes\r\n\r\n")]
    [InlineData("GET", 205, "HTTP/1.1 205 Reset Content\r\nContent-Length: 5\r\nX-Kept: yes\r\n\r\nhello")]
    [InlineData("GET", 204, "HTTP/1.1 204 No Content\r\nContent-Length: 2147483647\r\nX-Kept: yes\r\n\r\n")]
    public async Task AStatusWithoutContent_ThatDeclaresSome_ReachesTheClientWithoutIt_AndPipelinedRequestsStayInStep(string method, int status, string reply)
    {
        await using var worker = CannedResponseWorker.Start(requestLine => requestLine.Contains("/echo/empty", StringComparison.Ordinal) ? reply : Second);
        await using var gateway = await TestGateway.StartAsync(Web(new GatewayConfiguration().WithFunction("echo", worker.Url)).Values);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync($"{method} /echo/empty HTTP/1.1\r\nHost: a\r\n\r\nGET /echo/next HTTP/1.1\r\nHost: a\r\n\r\n");
        var first = await connection.ReadResponseAsync(headRequest: method == "HEAD");
        var second = await connection.ReadResponseAsync();

        Assert.NotNull(first);
        Assert.Equal(status, first.StatusCode);
        Assert.Equal("yes", first.Header("X-Kept"));
        Assert.NotNull(first.Header("X-Fc-Request-Id"));
        Assert.True(first.Header("Content-Length") is null or "0", first.Header("Content-Length"));
        Assert.NotNull(second);
        Assert.Equal("second", second.Body);
    }

    private static GatewayConfiguration Web(GatewayConfiguration config) =>
        config.Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web");
}
