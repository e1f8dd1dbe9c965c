using System.Text;
using FcWorker.RuntimeApi;
using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.RuntimeApi;

/// <summary>The pull loop's own HTTP/1.1 connection, against a runtime API scripted byte for byte.</summary>
public sealed class RuntimeApiConnectionTests
{
    private const string Invocation = "HTTP/1.1 200 OK\r\nx-fc-request-id: r1\r\nContent-Length: 5\r\n\r\nhello";

    [Fact]
    public async Task Post_ThenPoll_SendsTheNextPollBehindTheReplyOnOneConnection()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var next = line.NextAsync(CancellationToken.None);
        using var server = await api.AcceptAsync();
        Assert.StartsWith("GET /fn/2020-11-11/runtime/invocation/next HTTP/1.1\r\nHost: 127.0.0.1:", (await server.ReadRequestAsync()).Head);
        await server.WriteAsync(Invocation);
        using var answer = await next;
        Assert.Equal(("r1", "hello"), (answer.Headers["x-fc-request-id"].ToString(), await new StreamReader(answer.Body).ReadToEndAsync()));

        var post = line.PostAsync("r1", RuntimeApiClient.Response, new ReplyBody("text/plain", "out"u8.ToArray()), thenPoll: true, CancellationToken.None);
        var (head, body) = await server.ReadRequestAsync();
        var poll = await server.ReadRequestAsync();
        await server.WriteAsync("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(202, await post);
        var secondNext = line.NextAsync(CancellationToken.None);
        await server.WriteAsync(Invocation.Replace("r1", "r2", StringComparison.Ordinal));
        using var second = await secondNext;
        line.Dispose();

        Assert.StartsWith("POST /fn/2020-11-11/runtime/invocation/r1/response HTTP/1.1\r\n", head);
        Assert.Contains("\r\nContent-Type: text/plain\r\nContent-Length: 3", head);
        Assert.Equal("out", Encoding.ASCII.GetString(body));
        Assert.StartsWith("GET /fn/2020-11-11/runtime/invocation/next ", poll.Head);
        Assert.Equal("r2", second.Headers["x-fc-request-id"].ToString());
        Assert.Equal("", await server.ReadToCloseAsync());
        Assert.Equal(1, api.Accepted);
    }

    [Fact]
    public async Task Post_AnsweredWithConnectionClose_PollsAgainOnANewConnection()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var next = line.NextAsync(CancellationToken.None);
        using (var first = await api.AcceptAsync())
        {
            await first.ReadRequestAsync();
            await first.WriteAsync(Invocation);
            (await next).Dispose();
            var post = line.PostAsync("r1", RuntimeApiClient.Response, new ReplyBody(null, "out"u8.ToArray()), thenPoll: true, CancellationToken.None);
            await first.ReadRequestAsync();
            await first.WriteAsync("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
            Assert.Equal(200, await post);
        }

        var again = line.NextAsync(CancellationToken.None);
        using var second = await api.AcceptAsync();
        Assert.StartsWith("GET /fn/2020-11-11/runtime/invocation/next ", (await second.ReadRequestAsync()).Head);
        await second.WriteAsync(Invocation);
        using var answer = await again;

        Assert.Equal(2, api.Accepted);
    }

    [Fact]
    public async Task Post_KeptConnectionClosedWhileTheCallRan_PostsOnANewConnection()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var next = await PollAnsweredThenClosedAsync(api, line, Invocation);
        using (var answer = await next)
        {
            Assert.Equal("hello", await new StreamReader(answer.Body).ReadToEndAsync());
        }

        var head = await PostOnANewConnectionAsync(api, line, RuntimeApiClient.Response, new ReplyBody(null, "out"u8.ToArray()));

        Assert.StartsWith("POST /fn/2020-11-11/runtime/invocation/r1/response ", head);
    }

    [Fact]
    public async Task Next_ChunkedAnswerWithExtensionsAndTrailers_BodyReadWhole()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var (server, next) = await PollAsync(api, line);
        using var serverSide = server;
        await server.WriteAsync("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nx-fc-request-id: r1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
            + "3;name=value\r\nabc\r\nA \r\n0123456789\r\n0\r\nx-trailer: t\r\n\r\n");

        using var answer = await next;

        Assert.Equal((200, (long?)null), (answer.StatusCode, answer.ContentLength));
        Assert.Equal("abc0123456789", await new StreamReader(answer.Body).ReadToEndAsync());
    }

    [Fact]
    public async Task Next_ChunkedAnswerWithBareLineFeeds_BodyReadWholeAndTheConnectionKept()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var (server, next) = await PollAsync(api, line);
        using var serverSide = server;
        await server.WriteAsync("HTTP/1.1 200 OK\nx-fc-request-id: r1\nTransfer-Encoding: chunked\n\n3\nabc\n2\nde\n0\n\n");
        using var answer = await next;
        var body = await new StreamReader(answer.Body).ReadToEndAsync();

        var post = line.PostAsync("r1", RuntimeApiClient.Response, new ReplyBody(null, "out"u8.ToArray()), thenPoll: false, CancellationToken.None);
        await server.ReadRequestAsync();
        await server.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal("abcde", body);
        Assert.Equal((200, 1), (await post, api.Accepted));
    }

    [Fact]
    public async Task Post_BodyOfTheLastAnswerLeftUnread_AllArrived_IsPassedOver_OnTheSameConnection()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var (server, next) = await PollAsync(api, line);
        using var serverSide = server;
        await server.WriteAsync("HTTP/1.1 200 OK\r\nx-fc-request-id: r1\r\nContent-Length: 100\r\n\r\n" + new string('x', 100));
        using var answer = await next;

        var post = line.PostAsync("r1", RuntimeApiClient.Error, new ReplyBody("application/json", "{}"u8.ToArray()), thenPoll: false, CancellationToken.None);
        var (head, body) = await server.ReadRequestAsync();
        await server.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");

        Assert.Equal(200, await post);
        Assert.StartsWith("POST /fn/2020-11-11/runtime/invocation/r1/error ", head);
        Assert.Equal(("{}", 1), (Encoding.ASCII.GetString(body), api.Accepted));
    }

    [Fact]
    public async Task Post_BodyOfTheLastAnswerLeftUnread_NotAllArrived_PostsOnANewConnection_WithoutWaitingForTheRest()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var (server, next) = await PollAsync(api, line);
        using var serverSide = server;
        await server.WriteAsync("HTTP/1.1 200 OK\r\nx-fc-request-id: r1\r\nContent-Length: 20000\r\n\r\n" + new string('x', 100));
        using var answer = await next;

        var head = await PostOnANewConnectionAsync(api, line, RuntimeApiClient.Error, new ReplyBody("application/json", "{}"u8.ToArray()));

        Assert.StartsWith("POST /fn/2020-11-11/runtime/invocation/r1/error ", head);
        Assert.Equal("", await server.ReadToCloseAsync());
    }

    [Fact]
    public async Task Next_BodyReadAfterItsReadingFailed_FailsAgain_NotACleanEnd()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var next = await PollAnsweredThenClosedAsync(api, line, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort");
        using var answer = await next;
        var buffer = new byte[10];
        await Assert.ThrowsAsync<HttpRequestException>(async () => await answer.Body.ReadExactlyAsync(buffer));

        var again = await Assert.ThrowsAsync<HttpRequestException>(async () => await answer.Body.ReadExactlyAsync(buffer.AsMemory(0, 1)));

        Assert.Equal(HttpRequestError.ResponseEnded, again.HttpRequestError);
    }

    [Fact]
    public async Task Post_StreamOutput_SentInChunks()
    {
        var bytes = Enumerable.Range(0, 40_000).Select(i => (byte)i).ToArray();
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var (server, next) = await PollAsync(api, line);
        using var serverSide = server;
        await server.WriteAsync(Invocation);
        (await next).Dispose();

        var post = line.PostAsync("r1", RuntimeApiClient.Response, new ReplyBody(null, default, new MemoryStream(bytes)), thenPoll: true, CancellationToken.None);
        var (head, body) = await server.ReadRequestAsync();
        var poll = await server.ReadRequestAsync();
        await server.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(200, await post);
        Assert.Contains("\r\nTransfer-Encoding: chunked", head);
        Assert.Equal(bytes, body);
        Assert.StartsWith("GET ", poll.Head);
    }

    [Fact]
    public async Task Next_AnswerWithoutLength_BodyEndsWhenTheConnectionCloses_AndTheNextPollOpensAnother()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var next = await PollAnsweredThenClosedAsync(api, line, "HTTP/1.1 200 OK\r\nx-fc-request-id: r1\r\n\r\nto the end");
        using var answer = await next;
        var body = await new StreamReader(answer.Body).ReadToEndAsync();

        var (server, again) = await PollAsync(api, line);
        using var serverSide = server;
        await server.WriteAsync(Invocation);
        using var secondAnswer = await again;

        Assert.Equal("to the end", body);
        Assert.Equal((200, 2), (secondAnswer.StatusCode, api.Accepted));
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", HttpRequestError.ResponseEnded)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc", HttpRequestError.ResponseEnded)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc", HttpRequestError.InvalidResponse)]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nabc\r\n0\r\n\r\n", HttpRequestError.ResponseEnded)]
    public async Task Next_BodyCutOrMalformed_ReadFailsAsHttpClientWould(string answerText, HttpRequestError error)
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var next = await PollAnsweredThenClosedAsync(api, line, answerText);

        using var answer = await next;
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => new StreamReader(answer.Body).ReadToEndAsync());

        Assert.Equal(error, failure.HttpRequestError);
    }

    /// <summary>
    /// Unlike HttpClient, which ignores a Content-Length that is not a number and reads the body to the close, and takes
    /// the first of differing ones: a runtime API that sends these is broken, and the SDK refuses the answer rather than
    /// guess where its body ends.
    /// </summary>
    [Theory]
    [InlineData("Content-Length: 1\r\nContent-Length: 2")]
    [InlineData("Content-Length: -1")]
    [InlineData("Content-Length: x")]
    [InlineData("Content-Length: +5")]
    [InlineData("Content-Length: 5, 5")]
    public async Task Next_ContentLengthNotOneNumber_IsRefused_WhereHttpClientReadsOn(string contentLength)
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var next = await PollAnsweredThenClosedAsync(api, line, $"HTTP/1.1 200 OK\r\nx-fc-request-id: r1\r\n{contentLength}\r\n\r\nhello");

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => next);

        Assert.Equal(HttpRequestError.InvalidResponse, failure.HttpRequestError);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\n bad: fold\r\n\r\n", HttpRequestError.InvalidResponse)]
    [InlineData("HTTP/2 200 OK\r\n\r\n", HttpRequestError.InvalidResponse)]
    [InlineData("HTTP/1.1 -20 OK\r\n\r\n", HttpRequestError.InvalidResponse)]
    [InlineData("HTTP/1.1 200 O\rK\r\n\r\n", HttpRequestError.InvalidResponse)]
    [InlineData("HTTP/1.1 200 OK\r\nx-fc-request-id\t: r1\r\n\r\n", HttpRequestError.InvalidResponse)]
    [InlineData("HTTP/1.1 200 OK\r\nx-fc-request-id: r1\r\n", HttpRequestError.ResponseEnded)]
    public async Task Next_HeadMalformedOrCut_FailsAsHttpClientWould(string answerText, HttpRequestError error)
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var next = await PollAnsweredThenClosedAsync(api, line, answerText);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => next);

        Assert.Equal(error, failure.HttpRequestError);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nx-fc-request-id  : r1\r\nContent-Length : 0\r\n\r\n", 200)]
    [InlineData("HTTP/1.1 099 Odd\r\nx-fc-request-id: r1\r\nContent-Length: 0\r\n\r\n", 99)]
    public async Task Next_HeadHttpClientAccepts_IsRead(string answerText, int status)
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var next = await PollAnsweredThenClosedAsync(api, line, answerText);

        using var answer = await next;

        Assert.Equal((status, "r1", (long?)0), (answer.StatusCode, answer.Headers["x-fc-request-id"].ToString(), answer.ContentLength));
    }

    [Fact]
    public async Task Next_HeadLargerThanTheLimit_Refused()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var (server, next) = await PollAsync(api, line);
        using var serverSide = server;
        await server.WriteAsync("HTTP/1.1 200 OK\r\nx-big: " + new string('b', RuntimeApiConnection.MaxHeadBytes) + "\r\n\r\n");

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => next);

        Assert.Equal(HttpRequestError.InvalidResponse, failure.HttpRequestError);
    }

    [Fact]
    public async Task Next_NothingListening_FailsAsAConnectionError()
    {
        Uri address;
        using (var api = new ScriptedRuntimeApi())
        {
            address = api.InvocationBase;
        }

        using var line = new RuntimeApiConnection(address);
        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => line.NextAsync(CancellationToken.None));

        Assert.Equal(HttpRequestError.ConnectionError, failure.HttpRequestError);
    }

    /// <summary>Starts a poll, and takes its request on the connection the line opens for it.</summary>
    internal static async Task<(ScriptedConnection Server, Task<RuntimeApiAnswer> Next)> PollAsync(ScriptedRuntimeApi api, RuntimeApiConnection line)
    {
        var next = line.NextAsync(CancellationToken.None);
        var server = await api.AcceptAsync();
        await server.ReadRequestAsync();
        return (server, next);
    }

    /// <summary>A poll the runtime API answers with <paramref name="answerText"/>, then closes the connection.</summary>
    internal static async Task<Task<RuntimeApiAnswer>> PollAnsweredThenClosedAsync(ScriptedRuntimeApi api, RuntimeApiConnection line, string answerText)
    {
        var (server, next) = await PollAsync(api, line);
        using (server)
        {
            await server.WriteAsync(answerText);
        }

        return next;
    }

    /// <summary>Posts the reply of <c>r1</c>, which the line sends on a new connection, answered 200; returns the post's head.</summary>
    internal static async Task<string> PostOnANewConnectionAsync(ScriptedRuntimeApi api, RuntimeApiConnection line, string outcome, ReplyBody body)
    {
        var post = line.PostAsync("r1", outcome, body, thenPoll: false, CancellationToken.None);
        using var second = await api.AcceptAsync();
        var (head, _) = await second.ReadRequestAsync();
        await second.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        Assert.Equal(200, await post);
        return head;
    }
}
