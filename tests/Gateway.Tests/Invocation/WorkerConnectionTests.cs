using System.Diagnostics;
using System.Net;
using FcGateway.Dialects.FcV1.Events;
using FcGateway.Dispatch.Push.Http1;
using Gateway.Tests.Diagnostics;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Invocation;

/// <summary>
/// The gateway's own HTTP/1.1 client for <c>POST /invoke</c> (WorkerConnections): how it reads replies HttpClient would
/// read alike, and how it keeps, reuses and closes its connections to a worker.
/// </summary>
public sealed class WorkerConnectionTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";

    /// <summary>The first pause of an invocation a worker refused as full of others' invocations (FunctionDispatcher).</summary>
    private static readonly TimeSpan FullOfOthersWait = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task InvocationsOneAfterAnother_ShareOneConnection()
    {
        await using var worker = WireWorker.Start(_ => Ok);
        await using var gateway = await StartAsync(worker);

        for (var i = 0; i < 3; i++)
        {
            await AssertOutputAsync(gateway, "hello");
        }

        Assert.Equal(1, worker.InvokeConnections);
    }

    [Fact]
    public async Task AReplyThatSaysConnectionClose_IsTheLastOnItsConnection()
    {
        await using var worker = WireWorker.Start(_ => "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello");
        await using var gateway = await StartAsync(worker);

        await AssertOutputAsync(gateway, "hello");
        await AssertOutputAsync(gateway, "hello");

        Assert.Equal(2, worker.InvokeConnections);
    }

    /// <summary>A worker closing an idle connection (its own keep-alive timeout): the next call is not sent on it and lost.</summary>
    [Fact]
    public async Task AConnectionTheWorkerClosedWhileIdle_IsNotUsed()
    {
        var clock = new FakeTimeProvider();
        await using var worker = WireWorker.Start(_ => Ok);
        await using var gateway = await StartAsync(worker, timeProvider: clock);

        await AssertOutputAsync(gateway, "hello");
        await worker.CloseConnectionsAsync();
        clock.Advance(TimeSpan.FromSeconds(1));
        await AssertOutputAsync(gateway, "hello");

        Assert.Equal(2, worker.InvokeConnections);
    }

    /// <summary>
    /// A worker that closes a connection right after its reply, without saying so: the connection is not kept, whether
    /// the next call comes at once (the receive listening on the idle connection saw its end) or a second later.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task AConnectionTheWorkerClosesAsItReplies_IsNotUsedAgain(int idleSeconds)
    {
        var clock = new FakeTimeProvider();
        await using var worker = WireWorker.Start(_ => Ok, closeAfterReply: true);
        await using var gateway = await StartAsync(worker, timeProvider: clock);

        await AssertOutputAsync(gateway, "hello");
        await Eventually.HoldsAsync(() => worker.EndedInvokeConnections == 1);
        clock.Advance(TimeSpan.FromSeconds(idleSeconds));
        await AssertOutputAsync(gateway, "hello");

        Assert.Equal(2, worker.InvokeConnections);
    }

    [Fact]
    public async Task AChunkedReply_WithExtensionsAndTrailers_IsItsDataJoined()
    {
        await using var worker = WireWorker.Start(_ =>
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
        await using var gateway = await StartAsync(worker);

        await AssertOutputAsync(gateway, "hello world");
        await AssertOutputAsync(gateway, "hello world");

        Assert.Equal(1, worker.InvokeConnections);
    }

    [Fact]
    public async Task InterimReplies_ArePassedOver()
    {
        await using var worker = WireWorker.Start(_ => "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" + Ok);
        await using var gateway = await StartAsync(worker);

        await AssertOutputAsync(gateway, "hello");
    }

    [Fact]
    public async Task AReplyFramedByTheConnectionsEnd_IsReadToIt()
    {
        await using var worker = WireWorker.Start(_ => "HTTP/1.1 200 OK\r\n\r\nhello until the end", closeAfterReply: true);
        await using var gateway = await StartAsync(worker);

        await AssertOutputAsync(gateway, "hello until the end");
    }

    /// <summary>A head longer than the connection's first buffer: read on, the buffer grown, up to HttpClient's 64 KiB.</summary>
    [Theory]
    [InlineData(20_000, HttpStatusCode.OK)]
    [InlineData(70_000, HttpStatusCode.BadGateway)]
    public async Task AReplyHeadOverManyReceives_IsReadUpToTheHeadLimit(int headerBytes, HttpStatusCode status)
    {
        await using var worker = WireWorker.Start(_ => $"HTTP/1.1 200 OK\r\nX-Large: {new string('x', headerBytes)}\r\nContent-Length: 5\r\n\r\nhello");
        await using var gateway = await StartAsync(worker);

        using var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(status, response.StatusCode);
        if (status == HttpStatusCode.OK)
        {
            Assert.Equal("hello", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task AReplyHeadWithBareLineFeeds_IsRead()
    {
        await using var worker = WireWorker.Start(_ => "HTTP/1.1 200 OK\nContent-Length: 5\n\nhello");
        await using var gateway = await StartAsync(worker);

        await AssertOutputAsync(gateway, "hello");
    }

    /// <summary>The bytes past the declared length are no reply to anything: the connection carries no more calls.</summary>
    [Fact]
    public async Task AReplyLongerThanItsContentLength_IsCutThere_AndItsConnectionIsNotUsedAgain()
    {
        await using var worker = WireWorker.Start(_ => "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil");
        await using var gateway = await StartAsync(worker);

        await AssertOutputAsync(gateway, "hello");
        await AssertOutputAsync(gateway, "hello");

        Assert.Equal(2, worker.InvokeConnections);
    }

    /// <summary>
    /// A 429's chunked body that came with its head is passed over at once; one malformed, or followed by bytes nothing
    /// asked for, leaves its connection unused again, and the invocation sent again goes over a new one.
    /// </summary>
    [Theory]
    [InlineData("4\r\nbusy\r\n0\r\n\r\n", 1)]
    [InlineData("zz\r\nbusy\r\n0\r\n\r\n", 2)]
    [InlineData("4\r\nbusyX\r\n0\r\n\r\n", 2)]
    [InlineData("0\r\n X-Fold: 1\r\n\r\n", 2)]
    [InlineData("0\r\nnot a field\r\n\r\n", 2)]
    [InlineData("0\r\n\r\nX", 2)]
    [InlineData("0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil", 2)]
    public async Task AChunked429WithItsHead_KeepsItsConnectionUnlessBroken(string body, int connections)
    {
        await using var worker = WireWorker.Start(n => n == 1 ? "HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\n\r\n" + body : Ok);
        await using var gateway = await StartAsync(worker);

        await AssertOutputAsync(gateway, "hello");

        Assert.Equal(connections, worker.InvokeConnections);
    }

    /// <summary>
    /// A 429 is answered as soon as its head is read; a body still on its way then is passed over before the connection
    /// carries another call, as HttpClient drains a disposed reply's and keeps its connection: the invocation sent again
    /// goes over the same one. The rest comes only once the invocation waits to be offered again.
    /// </summary>
    [Theory]
    [InlineData("Transfer-Encoding: chunked", "4\r\nbu", "sy\r\n0\r\nX-Trailer: t\r\n\r\n")]
    [InlineData("Transfer-Encoding: chunked", "", "4;x=1\r\nbusy\r\n6\r\n, busy\r\n0\r\n\r\n")]
    [InlineData("Transfer-Encoding: chunked", "4\r\nbusy\r\n0\r\n", "\r\n")]
    [InlineData("Content-Length: 4", "bu", "sy")]
    [InlineData("Content-Length: 4", "", "busy")]
    public async Task A429WhoseBodyComesAfterItsHead_KeepsItsConnection(string framing, string withHead, string rest)
    {
        var (output, connections) = await InvokeAfterA429Async($"{framing}\r\n\r\n{withHead}", rest);

        Assert.Equal("hello", output);
        Assert.Equal(1, connections);
    }

    /// <summary>
    /// A 429's body that comes after its head broken — malformed, longer than it says, followed by bytes nothing asked for,
    /// past what is drained (1 MiB, as HttpClient's <c>MaxResponseDrainSize</c>), cut by the worker's close, or whole but
    /// followed by the worker's close — is never read as the next call's reply, nor its connection used again: the
    /// invocation goes over a new one.
    /// </summary>
    [Theory]
    [InlineData("Transfer-Encoding: chunked", "4\r\nbu", "sy\r\nzz\r\n\r\n", false)]
    [InlineData("Transfer-Encoding: chunked", "4\r\nbu", "syX\r\n0\r\n\r\n", false)]
    [InlineData("Transfer-Encoding: chunked", "", "0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil", false)]
    [InlineData("Transfer-Encoding: chunked", "", "100001\r\nbusy", false)]
    [InlineData("Transfer-Encoding: chunked", "4\r\nbu", "sy", true)]
    [InlineData("Content-Length: 4", "bu", "syHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil", false)]
    [InlineData("Content-Length: 4", "bu", "s", true)]
    [InlineData("Content-Length: 1048577", "bu", "sy", false)]
    [InlineData("Transfer-Encoding: chunked", "4\r\nbu", "sy\r\n0\r\n\r\n", true)]
    [InlineData("Content-Length: 4", "bu", "sy", true)]
    public async Task A429WhoseBodyComesAfterItsHeadBroken_ClosesItsConnection(string framing, string withHead, string rest, bool closeAfterIt)
    {
        var (output, connections) = await InvokeAfterA429Async($"{framing}\r\n\r\n{withHead}", rest, closeAfterIt);

        Assert.Equal("hello", output);
        Assert.Equal(2, connections);
    }

    /// <summary>
    /// A 429's body not all come when its connection is next taken keeps no call waiting for it, as HttpClient, which
    /// drains it in the background, keeps none: the connection is closed, and the invocation sent again (its deadline
    /// untouched) goes over a new one at once, the clock not moved past the pause before it.
    /// </summary>
    [Theory]
    [InlineData("Transfer-Encoding: chunked", "4\r\nbu", null)]
    [InlineData("Transfer-Encoding: chunked", "4\r\nbu", "sy\r\n0\r\n\r")]
    [InlineData("Content-Length: 4", "bu", null)]
    [InlineData("Content-Length: 4", "bu", "s")]
    public async Task A429WhoseBodyHasNotAllComeWhenItsConnectionIsNextTaken_ClosesIt(string framing, string withHead, string? rest)
    {
        var (output, connections) = await InvokeAfterA429Async($"{framing}\r\n\r\n{withHead}", rest);

        Assert.Equal("hello", output);
        Assert.Equal(2, connections);
    }

    /// <summary>Bytes a worker sends unasked once a reply is read are no reply to the next call: their connection is dropped.</summary>
    [Fact]
    public async Task BytesTheWorkerSendsAfterAReply_AreNotReadAsTheNextCallsReply()
    {
        var clock = new FakeTimeProvider();
        await using var worker = WireWorker.Start(_ => Ok);
        await using var gateway = await StartAsync(worker, timeProvider: clock);
        await AssertOutputAsync(gateway, "hello");

        await worker.WriteUnaskedAsync("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nevil");
        await AssertOutputAsync(gateway, "hello");

        Assert.Equal(2, worker.InvokeConnections);
    }

    /// <summary>As HttpClient's limit on a reply's head, which counts the interim heads before it.</summary>
    [Fact]
    public async Task InterimRepliesPastTheHeadLimit_AreABadResponse()
    {
        var interim = string.Concat(Enumerable.Repeat("HTTP/1.1 100 Continue\r\n\r\n", 3000));
        await using var worker = WireWorker.Start(_ => interim + Ok);
        await using var gateway = await StartAsync(worker);

        using var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=bad_response"));
    }

    [Theory]
    [InlineData("zz\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5\r\nhelloXX0\r\n\r\n")]
    public async Task ABrokenChunkedBody_IsABadResponse(string body)
    {
        await using var worker = WireWorker.Start(_ => $"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{body}");
        await using var gateway = await StartAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=bad_response"));
    }

    /// <summary>A larger event goes over the cluster's HttpClient: a broken chunked reply is a bad response there too.</summary>
    [Fact]
    public async Task ABrokenChunkedBody_ToAnEventHttpClientCarries_IsABadResponseToo()
    {
        await using var worker = WireWorker.Start(_ => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n");
        await using var gateway = await StartAsync(worker);

        var response = await gateway.Client.PostAsync("/echo/", new ByteArrayContent(new byte[WorkerConnections.MaxPayloadBytes]));

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=bad_response"));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("worker_crashed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AChunkedBodyOverTheOutputLimit_IsABadResponse()
    {
        await using var worker = WireWorker.Start(_ => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + new string('a', 1024) + "\r\n0\r\n\r\n");
        await using var gateway = await StartAsync(worker, c => c.Set("Gateway:Limits:MaxResponseBodyBytes", "1000"));

        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("exceeds 1000 bytes"));
    }

    /// <summary>A chunk size so large that the output's length plus it overflows: over the limit all the same.</summary>
    [Fact]
    public async Task AChunkSizeBeyondAnyLength_IsOverTheOutputLimit()
    {
        await using var worker = WireWorker.Start(_ => "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\nFFFFFFFFFFFFFFFF\r\n" + new string('a', 1024));
        await using var gateway = await StartAsync(worker, c => c.Set("Gateway:Limits:MaxResponseBodyBytes", "1000"));

        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("exceeds 1000 bytes"));
    }

    /// <summary>As HttpClient's pooled connections: one idle for a minute is closed, on the gateway's clock.</summary>
    [Fact]
    public async Task AConnectionIdleForAMinute_IsClosed()
    {
        var clock = new FakeTimeProvider();
        await using var worker = WireWorker.Start(_ => Ok);
        await using var gateway = await StartAsync(worker, timeProvider: clock);
        await AssertOutputAsync(gateway, "hello");

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, worker.EndedInvokeConnections);
        clock.Advance(TimeSpan.FromSeconds(30));

        await Eventually.HoldsAsync(() => worker.EndedInvokeConnections == 1);
        await AssertOutputAsync(gateway, "hello");
        Assert.Equal(2, worker.InvokeConnections);
    }

    /// <summary>A reused connection's reply is awaited by a receive started while it was idle: the deadline still ends it.</summary>
    [Fact]
    public async Task AReplyThatDoesNotComeOnAReusedConnection_EndsAtTheFunctionsTimeout()
    {
        var clock = new FakeTimeProvider();
        await using var worker = WireWorker.Start(invocation => invocation == 1 ? Ok : "");
        await using var gateway = await StartAsync(worker, c => c.Set("Gateway:Functions:echo:Timeout", "00:01:00"), clock);
        await AssertOutputAsync(gateway, "hello");

        var call = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => worker.Invocations == 2);
        clock.Advance(TimeSpan.FromMinutes(1));
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=timeout"));
        Assert.Equal(1, worker.InvokeConnections);
    }

    /// <summary>
    /// An event too large to be appended to its head (a body past 48 KiB) is written whole, its body encoded straight
    /// into the request, and sent by the gateway's client while it fits one send; past that it is streamed in steps
    /// over HttpClient. Either way the worker gets the whole event.
    /// </summary>
    [Theory]
    [InlineData(EventContent.InlineBodyBytes + 3, "FcGateway")]
    [InlineData(64 * 1024, "FcGateway")]
    [InlineData(WorkerConnections.MaxPayloadBytes, "System.Net.Http")]
    public async Task AnEventPastTheInlineSize_IsSentWholeWhileItFitsOneSend(int bodyBytes, string client)
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var body = Enumerable.Range(0, bodyBytes).Select(i => (byte)(i * 31)).ToArray();

        using var response = await gateway.Client.PostAsync("/echo/", new ByteArrayContent(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(worker.Received, r => r.Path == "/invoke");
        Assert.True(received.Event.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(body, received.Event.GetProperty("body").GetBytesFromBase64());
        var invocation = await spans.InvocationAsync(response.Headers.GetValues("X-Fc-Request-Id").Single());
        var workerCall = Assert.Single(spans.ChildrenOf(invocation), span => span.Kind == ActivityKind.Client);
        Assert.Equal(client, workerCall.Source.Name);
    }

    [Fact]
    public async Task TheRequest_CarriesFcsHeadersTheTraceAndItsLength()
    {
        await using var worker = WireWorker.Start(_ => Ok);
        await using var gateway = await StartAsync(worker);

        using var response = await gateway.Client.PostAsync("/echo/a", new StringContent("body"));

        var head = Assert.Single(worker.RequestHeads);
        var lines = head.Split("\r\n");
        Assert.Equal("POST /invoke HTTP/1.1", lines[0]);
        Assert.Contains($"Host: {new Uri(worker.Url).Authority}", lines);
        Assert.Contains("x-fc-function-name: echo", lines);
        Assert.Contains("x-fc-control-path: /invoke", lines);
        Assert.Contains($"x-fc-request-id: {response.Headers.GetValues("X-Fc-Request-Id").Single()}", lines);
        Assert.Contains(lines, line => line.StartsWith("traceparent: 00-", StringComparison.Ordinal));
        Assert.Contains("Content-Type: application/octet-stream", lines);
        Assert.Contains(lines, line => line.StartsWith("Content-Length: ", StringComparison.Ordinal));
    }

    /// <summary>
    /// A call whose first reply is a 429 with <paramref name="afterStatus"/> (its fields, blank line and what of its body
    /// comes with it); the invocation then waits to be offered again (a worker full of others' invocations), and only
    /// then does the worker send <paramref name="rest"/> (nothing when null), and close the connection when
    /// <paramref name="closeAfterRest"/>, before the clock moves on. The second reply is <see cref="Ok"/>. Returns the
    /// call's output and the connections that carried an invocation.
    /// </summary>
    private static async Task<(string Output, int Connections)> InvokeAfterA429Async(string afterStatus, string? rest, bool closeAfterRest = false)
    {
        var clock = new WatchedTimeProvider();
        var restOfReply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = WireWorker.Start(
            n => n == 1 ? "HTTP/1.1 429 Too Many Requests\r\n" + afterStatus : Ok,
            closeAfterRest,
            n => n == 1 ? restOfReply.Task : Task.FromResult(""));
        await using var gateway = await StartAsync(worker, c => c.Set("Gateway:Functions:echo:Timeout", "00:01:00"), clock);

        var call = gateway.Client.GetAsync("/echo/");
        await clock.TimerSet(FullOfOthersWait).WaitAsync(Bound);
        if (rest is not null)
        {
            restOfReply.SetResult(rest);
            await Eventually.HoldsAsync(() => closeAfterRest ? worker.EndedInvokeConnections == 1 : worker.RestsWritten == 1);
        }

        clock.Advance(FullOfOthersWait);
        using var response = await call.WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadAsStringAsync(), worker.InvokeConnections);
    }

    private static Task<TestGateway> StartAsync(WireWorker worker, Action<GatewayConfiguration>? configure = null, TimeProvider? timeProvider = null)
    {
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url);
        configure?.Invoke(config);
        return TestGateway.StartAsync(config.Values, timeProvider is null ? null : builder => builder.Services.AddSingleton(timeProvider));
    }

    private static async Task AssertOutputAsync(TestGateway gateway, string output)
    {
        using var response = await gateway.Client.GetAsync("/echo/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(output, await response.Content.ReadAsStringAsync());
    }
}
