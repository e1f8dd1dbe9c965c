using FcWorker.RuntimeApi;
using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.RuntimeApi;

/// <summary>The pull loop's own HTTP/1.1 connection and HttpClient, each against the same runtime API scripted byte for byte.</summary>
public sealed class RuntimeApiConnectionHttpClientTests
{
    private const string Invocation = "HTTP/1.1 200 OK\r\nx-fc-request-id: r1\r\nContent-Length: 5\r\n\r\nhello";

    [Theory]
    [InlineData("Transfer-Encoding: chunked, gzip")]
    [InlineData("Transfer-Encoding: gzip, chunked")]
    [InlineData("Transfer-Encoding: CHUNKED\r\nTransfer-Encoding: gzip")]
    [InlineData("Transfer-Encoding: gzip\r\nContent-Length: 3\r\nTransfer-Encoding: chunked")]
    [InlineData("Transfer-Encoding: , chunked,,")]
    [InlineData("Transfer-Encoding: x;a, chunked")]
    [InlineData("Transfer-Encoding: x ; a = \"b;,\\\"\" ;c=d , chunked")]
    [InlineData("Transfer-Encoding: chunked, @@")]
    [InlineData("Transfer-Encoding: chunked, @@\r\nContent-Length: 3")]
    [InlineData("Transfer-Encoding: chunked, @@\r\nTransfer-Encoding: chunked")]
    [InlineData("Transfer-Encoding: x y, chunked")]
    [InlineData("Transfer-Encoding: chunked;a=b")]
    [InlineData("Transfer-Encoding: x;a=, chunked")]
    [InlineData("Transfer-Encoding: x;, chunked")]
    [InlineData("Transfer-Encoding: x;a=\"b\"c, chunked")]
    [InlineData("Transfer-Encoding: x;a=\"\\\", chunked")]
    [InlineData("Transfer-Encoding: chunked, \"gzip\"")]
    public async Task Next_TransferEncoding_FramesTheBodyAsHttpClientDoes(string fields)
    {
        var answer = $"HTTP/1.1 200 OK\r\nx-fc-request-id: r1\r\n{fields}\r\n\r\n5\r\nhello\r\n0\r\n\r\n";

        var byHttpClient = await ExchangeAsync(answeredOn: 1, answer, HttpClientPollsAsync);
        var byLine = await ExchangeAsync(answeredOn: 1, answer, LinePollsAsync);

        Assert.Equal(byHttpClient, byLine);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(0)]
    public async Task Next_ConnectionsClosedBeforeAnyAnswer_PollSentAgainOnNewOnes_AsOftenAsByHttpClient(int answeredOn)
    {
        var byHttpClient = await ExchangeAsync(answeredOn, Invocation, HttpClientPollsAsync);
        var byLine = await ExchangeAsync(answeredOn, Invocation, LinePollsAsync);

        Assert.Equal(byHttpClient, byLine);
        Assert.Equal(answeredOn == 0 ? (4, nameof(HttpRequestError.ResponseEnded)) : (answeredOn, "hello"), byLine);
    }

    [Fact]
    public async Task Post_ConnectionClosedBeforeAnyAnswer_NotSentAgain_AsByHttpClient()
    {
        var byHttpClient = await ExchangeAsync(answeredOn: 0, Invocation, HttpClientPostsAsync);
        var byLine = await ExchangeAsync(answeredOn: 0, Invocation, LinePostsAsync);

        Assert.Equal((1, nameof(HttpRequestError.ResponseEnded)), byHttpClient);
        Assert.Equal(byHttpClient, byLine);
    }

    /// <remarks>Before, the line reported a reset as a connection error, which HttpClient reports only when the connect fails.</remarks>
    [Fact]
    public async Task Next_ConnectionResetBeforeAnyAnswer_NotSentAgain_FailsAsByHttpClient()
    {
        var byHttpClient = await ExchangeAsync(answeredOn: 0, Invocation, HttpClientPollsAsync, reset: true);
        var byLine = await ExchangeAsync(answeredOn: 0, Invocation, LinePollsAsync, reset: true);

        Assert.Equal((1, nameof(HttpRequestError.Unknown)), byHttpClient);
        Assert.Equal(byHttpClient, byLine);
    }

    [Fact]
    public async Task Post_ConnectionResetBeforeAnyAnswer_NotSentAgain_FailsAsByHttpClient()
    {
        var byHttpClient = await ExchangeAsync(answeredOn: 0, Invocation, HttpClientPostsAsync, reset: true);
        var byLine = await ExchangeAsync(answeredOn: 0, Invocation, LinePostsAsync, reset: true);

        Assert.Equal((1, nameof(HttpRequestError.Unknown)), byHttpClient);
        Assert.Equal(byHttpClient, byLine);
    }

    /// <summary>
    /// Runs a client against a runtime API that takes a request on each connection and closes it (or resets it, when
    /// <paramref name="reset"/>), answering <paramref name="answer"/> only on connection <paramref name="answeredOn"/>;
    /// returns how many connections the client opened and what it read (the body, or the error).
    /// </summary>
    private static async Task<(int Connections, string Outcome)> ExchangeAsync(int answeredOn, string answer, Func<Uri, Task<string>> client, bool reset = false)
    {
        using var api = new ScriptedRuntimeApi();
        var outcome = client(api.InvocationBase);
        while (true)
        {
            var accepting = api.AcceptAsync();
            if (await Task.WhenAny(accepting, outcome) == outcome)
            {
                return (api.Accepted, await outcome);
            }

            using var server = await accepting;
            await server.ReadRequestAsync();
            if (api.Accepted == answeredOn)
            {
                await server.WriteAsync(answer);
            }
            else if (reset)
            {
                server.Reset();
            }
        }
    }

    private static Task<string> HttpClientPollsAsync(Uri invocationBase) => HttpClientSendsAsync(new(HttpMethod.Get, new Uri(invocationBase, "next")));

    private static Task<string> HttpClientPostsAsync(Uri invocationBase) =>
        HttpClientSendsAsync(new(HttpMethod.Post, new Uri(invocationBase, "r1/response")) { Content = new ByteArrayContent("out"u8.ToArray()) });

    private static async Task<string> HttpClientSendsAsync(HttpRequestMessage request)
    {
        using var http = new HttpClient(new SocketsHttpHandler());
        using (request)
        {
            try
            {
                using var answer = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                return await answer.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException failure)
            {
                return ((failure.InnerException as HttpIOException)?.HttpRequestError ?? failure.HttpRequestError).ToString();
            }
            catch (HttpIOException failure)
            {
                return failure.HttpRequestError.ToString();
            }
        }
    }

    private static async Task<string> LinePollsAsync(Uri invocationBase)
    {
        using var line = new RuntimeApiConnection(invocationBase);
        try
        {
            using var answer = await line.NextAsync(CancellationToken.None);
            return await new StreamReader(answer.Body).ReadToEndAsync();
        }
        catch (HttpRequestException failure)
        {
            return failure.HttpRequestError.ToString();
        }
    }

    private static async Task<string> LinePostsAsync(Uri invocationBase)
    {
        using var line = new RuntimeApiConnection(invocationBase);
        try
        {
            var body = new ReplyBody(null, "out"u8.ToArray());
            return (await line.PostAsync("r1", RuntimeApiClient.Response, body, thenPoll: false, CancellationToken.None)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (HttpRequestException failure)
        {
            return failure.HttpRequestError.ToString();
        }
    }
}
