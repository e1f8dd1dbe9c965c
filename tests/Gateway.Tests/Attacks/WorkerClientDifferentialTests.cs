using System.Net;
using System.Text.RegularExpressions;
using FcGateway.Dispatch.Push.Http1;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Attacks;

/// <summary>
/// One hostile or broken worker, called twice: with a small event (the gateway's own HTTP/1.1 client carries it) and
/// with one past <see cref="WorkerConnections.MaxPayloadBytes"/> (the cluster's HttpClient does). The gateway's client
/// sees the same status and body and the log the same outcome either way, and no log line carries the worker's control
/// characters raw, nor a stack trace.
/// </summary>
public sealed partial class WorkerClientDifferentialTests
{
    private const string Ok = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
    private const string Failed = "502 Internal Server Error";

    /// <summary>
    /// The worker replies before it reads the request's body, then reads it or holds the connection unread. (One that
    /// closes it with the body unread resets it, and either client can lose the reply to that reset.)
    /// </summary>
    [Theory]
    [InlineData("drain")]
    [InlineData("hold")]
    public Task AReplyBeforeTheBodyIsRead_IsTheOutput(string then) => AssertBothAsync("200 hello success", async c =>
    {
        await c.WriteAsync(Ok);
        if (then == "drain")
        {
            await c.DrainBodyAsync();
            await c.ReadToEndAsync();
        }
        else
        {
            await c.HoldAsync();
        }
    });

    [Theory]
    [InlineData("")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhel")]
    public Task AResetBeforeTheReplyEnds_IsAWorkerCrash(string sent) => AssertBothAsync($"{Failed} worker_crashed", async c =>
    {
        await c.DrainBodyAsync();
        await c.WriteAsync(sent);
        c.Reset();
    });

    [Fact]
    public Task AReplyHeadSentAByteAtATime_IsRead() => AssertBothAsync("200 hello success", async c =>
    {
        await c.DrainBodyAsync();
        await c.WriteBytewiseAsync(Ok);
        await c.ReadToEndAsync();
    });

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello, and more", "200 hello success")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", $"{Failed} worker_crashed")]
    [InlineData("HTTP/1.0 200 OK\r\n\r\nhello", "200 hello success")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n", $"{Failed} worker_crashed")]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\n", $"{Failed} worker_crashed")]
    [InlineData("", $"{Failed} worker_crashed")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n", $"{Failed} worker_crashed")]
    [InlineData("HTTP/1.1 500 Oops\r\nContent-Length: 10\r\n\r\nhel", $"{Failed} worker_crashed")]
    [InlineData("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel", $"{Failed} worker_crashed")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhel", $"{Failed} bad_response")]
    public Task ABodyTheConnectionsEndCutsOrEnds_IsReadAlike(string reply, string expected) => AssertBothAsync(expected, async c =>
    {
        await c.DrainBodyAsync();
        await c.WriteAsync(reply);
    });

    [Theory]
    [InlineData(1_000, "200 hello success")]
    [InlineData(10_000, $"{Failed} bad_response")]
    public Task AHeadWithManyHeaders_IsReadUpToTheHeadLimit(int headers, string expected) =>
        AssertBothAsync(expected, Replying("HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Range(0, headers).Select(i => $"X-{i}: v\r\n")) + "Content-Length: 5\r\n\r\nhello"));

    /// <summary>The head over the limit is logged in the same words whichever client read it.</summary>
    [Fact]
    public Task AHeadOverTheLimit_IsLoggedInHttpClientsWords() => AssertBothAsync(
        $"{Failed} bad_response",
        Replying($"HTTP/1.1 200 OK\r\nX-Large: {new string('x', 70_000)}\r\nContent-Length: 5\r\n\r\nhello"),
        logged: "(The HTTP response headers length exceeded the set limit of 65536 bytes.)");

    /// <summary>
    /// A head that reaches the 64 KiB limit exactly with its blank line begun (<c>\r</c>, no line end yet): HttpClient reads
    /// on, so the worker's close is a reply ended early (a worker crash) and one more byte a head over the limit. A head
    /// whose one long line reaches the limit without an end is refused at once, by both.
    /// </summary>
    [Theory]
    [InlineData("\r\n\r", "close", $"{Failed} worker_crashed")]
    [InlineData("\r\n\r", "line end", $"{Failed} bad_response")]
    [InlineData("", "close", $"{Failed} bad_response")]
    [InlineData("", "hold", $"{Failed} bad_response")]
    public Task AHeadAtTheLimitExactly_IsReadOnAsHttpClientReadsIt(string end, string then, string expected)
    {
        const string Start = "HTTP/1.1 200 OK\r\nX-Pad: ";
        var head = Start + new string('p', (64 * 1024) - Start.Length - end.Length) + end;
        return AssertBothAsync(expected, async c =>
        {
            await c.DrainBodyAsync();
            await c.WriteAsync(head);
            if (then == "close")
            {
                c.Close();
            }
            else if (then == "line end")
            {
                await c.WriteAsync("\nhello");
            }

            await c.ReadToEndAsync();
        });
    }

    /// <summary>Interim heads that take the whole 64 KiB: the final head has no room, and is refused before it comes.</summary>
    [Fact]
    public Task InterimHeadsTakingTheWholeLimit_AreABadResponse()
    {
        const string Start = "HTTP/1.1 103 Early Hints\r\nX-Pad: ";
        var interim = Start + new string('p', (64 * 1024) - Start.Length - "\r\n\r\n".Length) + "\r\n\r\n";
        return AssertBothAsync($"{Failed} bad_response", async c =>
        {
            await c.DrainBodyAsync();
            await c.WriteAsync(interim);
            await c.ReadToEndAsync();
        });
    }

    /// <summary>A chunked reply's trailers over the limit are logged in the same words whichever client read them.</summary>
    [Fact]
    public Task TrailersOverTheLimit_AreLoggedInHttpClientsWords() => AssertBothAsync(
        $"{Failed} bad_response",
        Replying($"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Large: {new string('x', 70_000)}\r\n\r\n"),
        logged: "(The HTTP response headers length exceeded the set limit of 65536 bytes.)");

    /// <summary>
    /// Heads HttpClient reads in a way of its own, read alike: a CR in the reason (a bad response, not a wait for a head
    /// that never ends), a space before a colon (dropped), a line fold (part of the value before it, or a bad response
    /// before any field), a status under 100 (a final one).
    /// </summary>
    [Theory]
    [InlineData("HTTP/1.1 200 OK\rContent-Length: 5\r\r\nhello", $"{Failed} bad_response")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A : a\r\nContent-Length : 5\r\n\r\nhello, and more", "200 hello success")]
    [InlineData("HTTP/1.1 200 OK\r\nx-fc-status : 404\r\nContent-Length: 5\r\n\r\nhello", $"{Failed} function_error")]
    [InlineData("HTTP/1.1 200 OK\r\n X-A: a\r\nContent-Length: 5\r\n\r\nhello", $"{Failed} bad_response")]
    [InlineData("HTTP/1.1 200 OK\r\nx-fc-status: 200\r\n 404\r\nContent-Length: 5\r\n\r\nhello", $"{Failed} function_error")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n 6\r\n\r\nhello!", $"{Failed} bad_response")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: a\r\n\t \r\nContent-Length: 5\r\n\r\nhello", "200 hello success")]
    [InlineData("HTTP/1.1 099 Early\r\nContent-Length: 5\r\n\r\nhello", $"{Failed} function_error")]
    public Task AnOddHead_IsJudgedAsHttpClientJudgesIt(string reply, string expected) => AssertBothAsync(expected, Replying(reply));

    /// <summary>Worker text with control characters in the status line or a header: escaped in every log line, or not logged.</summary>
    [Theory]
    [InlineData("HTTP/1.1 500 Bad\u001b[31m\u0007 news\r\nx-fc-status: 4\u001b[2J04\r\nContent-Type: text/\u001bplain\r\nContent-Length: 5\r\n\r\nhello", $"{Failed} function_error")]
    [InlineData("HTTP/1.1 20\u001b OK\r\nContent-Length: 5\r\n\r\nhello", $"{Failed} bad_response")]
    [InlineData("HTTP/1.1 200 OK\r\nBad\u001b[2JName: x\r\nContent-Length: 5\r\n\r\nhello", $"{Failed} bad_response")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\u001b[2J\r\n\r\nhello", $"{Failed} bad_response")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Encoding: gz\u001b[2Jip\r\nContent-Length: 5\r\n\r\nhello", $"{Failed} bad_response")]
    public Task ControlCharactersFromTheWorker_AreNotLoggedRaw(string reply, string expected) => AssertBothAsync(expected, Replying(reply));

    /// <summary>Each reply says <c>Connection: close</c> but the worker keeps the connection: the next call opens another.</summary>
    [Fact]
    public Task ConnectionClose_IsNotReused_EvenWhenTheWorkerKeepsTheConnection() => AssertBothAsync("200 hello success", async c =>
    {
        await c.DrainBodyAsync();
        await c.WriteAsync("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello");
        await c.HoldAsync();
    }, calls: 3, expectedConnections: 3);

    /// <summary>
    /// The worker refuses the first invocation on each connection as full (429, its body whole with its head) and keeps
    /// the connection: the invocation, sent again at once, goes over the same connection and is answered there, over both
    /// clients. (Were the connection dropped after the 429, each attempt would meet a new connection's 429.)
    /// </summary>
    [Fact]
    public Task AConnectionA429CameOn_IsReused() => AssertBothAsync("200 hello success", async c =>
    {
        await c.DrainBodyAsync();
        await c.WriteAsync("HTTP/1.1 429 Too Many Requests\r\nContent-Length: 4\r\n\r\nbusy");
        while (await c.ReadInvocationHeadAsync())
        {
            await c.DrainBodyAsync();
            await c.WriteAsync(Ok);
        }
    }, calls: 2, expectedConnections: 1);

    /// <summary>
    /// As above with the 429's body chunked, whole with its head (trailers included): the connection is kept over both
    /// clients. HttpClient's disposed reply drains the buffered chunks at once; the gateway's client passes over a chunked
    /// body it holds whole as it passes over one of known length.
    /// </summary>
    [Theory]
    [InlineData("4\r\nbusy\r\n0\r\n\r\n")]
    [InlineData("2;x=y\r\nbu\r\n2\r\nsy\r\n0\r\nX-Why: full\r\n\r\n")]
    [InlineData("0\r\n\r\n")]
    public Task AConnectionAChunked429CameOn_IsReused(string body) => AssertBothAsync("200 hello success", async c =>
    {
        await c.DrainBodyAsync();
        await c.WriteAsync("HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
        while (await c.ReadInvocationHeadAsync())
        {
            await c.DrainBodyAsync();
            await c.WriteAsync(Ok);
        }
    }, calls: 2, expectedConnections: 1);

    /// <summary>
    /// A function error's chunked body is read as its output (it is the error the invocation API passes on), so its
    /// connection carries the next call over both clients: a 503 is a failure like any other non-2xx reply, not a refusal.
    /// </summary>
    [Fact]
    public Task AConnectionAChunked503CameOn_IsReused() => AssertBothAsync($"{Failed} function_error", async c =>
    {
        do
        {
            await c.DrainBodyAsync();
            await c.WriteAsync("HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\n\r\n4\r\ndown\r\n0\r\n\r\n");
        }
        while (await c.ReadInvocationHeadAsync());
    }, calls: 2, expectedConnections: 1);

    /// <summary>
    /// 50 invocations at once to a worker that closes every other connection once it has replied, unannounced: each
    /// succeeds, but over the gateway's client a call can meet a close it reused the connection microseconds before,
    /// the one difference docs/gateway.md lists for it, and fails as a worker crash (HttpClient's read at reuse sees the
    /// close and opens another connection; it does not retry a POST that met one).
    /// </summary>
    [Fact]
    public async Task ManyConcurrentInvocations_ToAWorkerClosingEveryOtherConnection_Succeed()
    {
        foreach (var large in new[] { false, true })
        {
            var connections = 0;
            await using var worker = HostileWorker.Start(async c =>
            {
                var closes = Interlocked.Increment(ref connections) % 2 == 0;
                do
                {
                    await c.DrainBodyAsync();
                    await c.WriteAsync(Ok);
                }
                while (!closes && await c.ReadInvocationHeadAsync());
            });
            await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);

            var seen = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => CallAsync(gateway, large)));

            string[] allowed = large ? ["200 hello success"] : ["200 hello success", $"{Failed} worker_crashed"];
            Assert.All(seen, outcome => Assert.Contains(outcome, allowed));
            AssertLogsClean(gateway);
        }
    }

    /// <summary>
    /// The worker answers the first call and keeps the connection, then, as the second call comes on it, ends it with the
    /// request unread (its keep-alive timeout racing the reuse): the second call fails as a worker crash over both clients.
    /// HttpClient retries a request on another connection only when the connection ends before any reply byte and the
    /// request has no body (or waited for <c>100 Continue</c>) — never a <c>POST /invoke</c> — and so neither client does.
    /// </summary>
    [Theory]
    [InlineData("close")]
    [InlineData("reset")]
    public async Task AKeptConnectionEndedAsItIsReused_IsAWorkerCrashOverBothClients(string end)
    {
        var seen = new List<string>();
        foreach (var large in new[] { false, true })
        {
            await using var worker = HostileWorker.Start(async c =>
            {
                await c.DrainBodyAsync();
                await c.WriteAsync(Ok);
                if (await c.ReadInvocationHeadAsync())
                {
                    EndConnection(c, end);
                }
            });
            await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);

            var client = large ? "HttpClient" : "the gateway's client";
            seen.Add($"{client}: {await CallAsync(gateway, large)}, then {await CallAsync(gateway, large)} over {worker.InvokeConnections} connection(s)");
            AssertLogsClean(gateway);
        }

        Assert.Equal(
            [$"the gateway's client: 200 hello success, then {Failed} worker_crashed over 1 connection(s)",
             $"HttpClient: 200 hello success, then {Failed} worker_crashed over 1 connection(s)"],
            seen);
    }

    /// <summary>A worker that takes the request and never answers: the invocation ends at the function's timeout.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AWorkerThatNeverReplies_EndsAtTheFunctionsTimeout(bool large)
    {
        var clock = new FakeTimeProvider();
        await using var worker = HostileWorker.Start(c => c.HoldAsync());
        await using var gateway = await TestGateway.StartAsync(
            new GatewayConfiguration().WithFunction("echo", worker.Url).Set("Gateway:Functions:echo:Timeout", "00:01:00").Values,
            builder => builder.Services.AddSingleton<TimeProvider>(clock));

        var call = CallAsync(gateway, large);
        await Eventually.HoldsAsync(() => worker.Invocations == 1);
        clock.Advance(TimeSpan.FromMinutes(1));
        var seen = await call.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal($"{Failed} timeout", seen);
        AssertLogsClean(gateway);
    }

    private static void EndConnection(HostileWorker.Connection connection, string end)
    {
        if (end == "close")
        {
            connection.Close();
        }
        else
        {
            connection.Reset();
        }
    }

    private static Func<HostileWorker.Connection, Task> Replying(string reply) => async c =>
    {
        await c.DrainBodyAsync();
        await c.WriteAsync(reply);
        await c.ReadToEndAsync();
    };

    private static async Task AssertBothAsync(
        string expected, Func<HostileWorker.Connection, Task> script, int calls = 1, int? expectedConnections = null, string? logged = null)
    {
        foreach (var large in new[] { false, true })
        {
            await using var worker = HostileWorker.Start(script);
            await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);

            var seen = new List<string>();
            for (var i = 0; i < calls; i++)
            {
                seen.Add(await CallAsync(gateway, large));
            }

            var client = large ? "HttpClient" : "the gateway's client";
            Assert.All(seen, outcome => Assert.Equal($"{client}: {expected}", $"{client}: {outcome}"));
            if (expectedConnections is { } count)
            {
                Assert.Equal(count, worker.InvokeConnections);
            }

            if (logged is not null)
            {
                Assert.Contains(gateway.Logs.Lines, line => line.Contains(logged, StringComparison.Ordinal));
            }

            AssertLogsClean(gateway);
        }
    }

    /// <summary>The call's status, body (its reason phrase for a failure) and logged outcome, as one line.</summary>
    private static async Task<string> CallAsync(TestGateway gateway, bool large)
    {
        var bytes = large ? WorkerConnections.MaxPayloadBytes : 5;
        using var response = await gateway.Client.PostAsync("/echo/", new ByteArrayContent(new byte[bytes]));
        var body = await response.Content.ReadAsStringAsync();
        var requestId = response.Headers.GetValues("X-Fc-Request-Id").Single();
        string? access = null;
        await Eventually.HoldsAsync(() => (access = gateway.Logs.Lines.FirstOrDefault(line =>
            line.Contains("outcome=", StringComparison.Ordinal) && line.Contains(requestId, StringComparison.Ordinal))) is not null);
        var outcome = OutcomePattern().Match(access!).Groups[1].Value;
        return $"{(int)response.StatusCode} {body} {outcome}";
    }

    private static void AssertLogsClean(TestGateway gateway)
    {
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Any(c => char.IsControl(c) && c != '\n'));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    [GeneratedRegex("outcome=(\\w+)")]
    private static partial Regex OutcomePattern();
}
