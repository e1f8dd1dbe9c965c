using FcWorker.RuntimeApi;
using FcWorker.Tests.TestHelpers;
using static FcWorker.Tests.RuntimeApi.RuntimeApiConnectionTests;

namespace FcWorker.Tests.RuntimeApi;

/// <summary>When the pull loop's own HTTP/1.1 connection carries the next request, and when it opens another, as HttpClient would.</summary>
public sealed class RuntimeApiConnectionReuseTests
{
    private const string Invocation = "HTTP/1.1 200 OK\r\nx-fc-request-id: r1\r\nContent-Length: 5\r\n\r\nhello";

    [Theory]
    [InlineData("Connection: keep-alive, close\r\n")]
    [InlineData("Connection: close\r\nConnection: keep-alive\r\n")]
    public async Task Post_AfterAnAnswerThatSaysCloseAmongOtherTokens_PostsOnANewConnection(string connectionHeaders)
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var (first, next) = await PollAsync(api, line);
        using var firstSide = first;
        await first.WriteAsync(Invocation.Replace("Content-Length", connectionHeaders + "Content-Length", StringComparison.Ordinal));
        using (var answer = await next)
        {
            Assert.Equal("hello", await new StreamReader(answer.Body).ReadToEndAsync());
        }

        var head = await PostOnANewConnectionAsync(api, line, RuntimeApiClient.Response, new ReplyBody(null, "out"u8.ToArray()));

        Assert.StartsWith("POST /fn/2020-11-11/runtime/invocation/r1/response ", head);
    }

    [Fact]
    public async Task Next_PollSentBehindThePostNotAnsweredBeforeTheConnectionCloses_IsSentAgainOnANewConnection()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var (first, next) = await PollAsync(api, line);
        using (first)
        {
            await first.WriteAsync(Invocation);
            (await next).Dispose();
            var post = line.PostAsync("r1", RuntimeApiClient.Response, new ReplyBody(null, "out"u8.ToArray()), thenPoll: true, CancellationToken.None);
            await first.ReadRequestAsync();
            await first.ReadRequestAsync();
            await first.WriteAsync("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n");
            Assert.Equal(202, await post);
        }

        var again = line.NextAsync(CancellationToken.None);
        using var second = await api.AcceptAsync();
        var (head, _) = await second.ReadRequestAsync();
        await second.WriteAsync(Invocation.Replace("r1", "r2", StringComparison.Ordinal));
        using var answer = await again;

        Assert.StartsWith("GET /fn/2020-11-11/runtime/invocation/next ", head);
        Assert.Equal("r2", answer.Headers["x-fc-request-id"].ToString());
    }

    [Fact]
    public async Task Post_AnsweredWithABodyThatEndsWithTheConnection_ReturnsWithoutWaitingForTheClose()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var (server, next) = await PollAsync(api, line);
        using var serverSide = server;
        await server.WriteAsync(Invocation);
        (await next).Dispose();

        var post = line.PostAsync("r1", RuntimeApiClient.Response, new ReplyBody(null, "out"u8.ToArray()), thenPoll: true, CancellationToken.None);
        await server.ReadRequestAsync();
        await server.WriteAsync("HTTP/1.1 500 Internal Server Error\r\n\r\nthe runtime API is still writing");

        Assert.Equal(500, await post.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(1, api.Accepted);
    }

    [Fact]
    public async Task Post_UnreadBodyOfTheLastAnswerCutByTheConnection_PostsOnANewConnection()
    {
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var next = await PollAnsweredThenClosedAsync(api, line, "HTTP/1.1 200 OK\r\nx-fc-request-id: r1\r\nContent-Length: 10\r\n\r\nshort");
        using var answer = await next;

        var head = await PostOnANewConnectionAsync(api, line, RuntimeApiClient.Error, new ReplyBody(null, "{}"u8.ToArray()));

        Assert.StartsWith("POST /fn/2020-11-11/runtime/invocation/r1/error ", head);
    }

    [Fact]
    public async Task Post_ConnectionFailsBeforeTheStreamIsSent_DisposesTheStream()
    {
        Uri address;
        using (var api = new ScriptedRuntimeApi())
        {
            address = api.InvocationBase;
        }

        using var line = new RuntimeApiConnection(address);
        var output = new MemoryStream("out"u8.ToArray());
        var failure = await Assert.ThrowsAsync<HttpRequestException>(
            () => line.PostAsync("r1", RuntimeApiClient.Response, new ReplyBody(null, default, output), thenPoll: false, CancellationToken.None));

        Assert.Equal(HttpRequestError.ConnectionError, failure.HttpRequestError);
        Assert.False(output.CanRead);
    }

    [Fact]
    public async Task Post_RequestIdThatNeedsEscaping_GoesToThePathHttpClientWouldAsk()
    {
        const string RequestId = "a b/c?d#e%f\u00fc";
        using var api = new ScriptedRuntimeApi();
        using var line = new RuntimeApiConnection(api.InvocationBase);
        var post = line.PostAsync(RequestId, RuntimeApiClient.Error, new ReplyBody(null, "{}"u8.ToArray()), thenPoll: false, CancellationToken.None);
        using var server = await api.AcceptAsync();
        var (head, _) = await server.ReadRequestAsync();
        await server.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        Assert.Equal(200, await post);
        var expected = new Uri(api.InvocationBase, $"{Uri.EscapeDataString(RequestId)}/{RuntimeApiClient.Error}").PathAndQuery;
        Assert.StartsWith($"POST {expected} HTTP/1.1\r\n", head);
        Assert.EndsWith("/a%20b%2Fc%3Fd%23e%25f%C3%BC/error", expected);
    }
}
