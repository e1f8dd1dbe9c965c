using FcGateway.RuntimeApi;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.RuntimeApi;

/// <summary>A gateway with one Lambda function, <c>echo</c>, whose workers pull from the Lambda runtime API (wire contract §14).</summary>
internal static class LambdaFunction
{
    /// <summary>The invocation API's path of the function <c>echo</c>.</summary>
    public const string InvokePath = "/2023-03-30/functions/echo/invocations";

    /// <summary>How long a test waits for what must come: far longer than it takes, so only what never comes fails a test.</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static Task<TestGateway> StartAsync(Action<GatewayConfiguration>? configure = null, TimeProvider? timeProvider = null, ILoggerProvider? logs = null) =>
        PullFunction.StartAsync(
            config =>
            {
                config.Set($"Gateway:Functions:{PullFunction.Name}:RuntimeApi", "lambda");
                configure?.Invoke(config);
            },
            timeProvider,
            logs);

    /// <summary>A client of the Lambda runtime API at <c>AWS_LAMBDA_RUNTIME_API=</c><paramref name="runtimeApi"/>, as the runtime clients address it.</summary>
    public static HttpClient RuntimeClient(string runtimeApi) =>
        new() { BaseAddress = new Uri($"http://{runtimeApi}/2018-06-01/runtime/"), Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// Posts <paramref name="body"/> chunked with the trailers aws-lambda-go announces on every response, as it does, and
    /// returns the status line's code; <paramref name="trailers"/> may be empty (the response succeeded).
    /// </summary>
    public static async Task<int> PostChunkedWithTrailersAsync(string runtimeApi, string path, string body, params (string Name, string Value)[] trailers)
    {
        using var tcp = await ConnectAsync(runtimeApi);
        var stream = tcp.GetStream();
        var request = new StringBuilder(ChunkedHead(runtimeApi, path)).Append($"{Encoding.UTF8.GetByteCount(body):x}\r\n{body}\r\n0\r\n");
        foreach (var (name, value) in trailers)
        {
            request.Append($"{name}: {value}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.Append("\r\n").ToString()));
        return await ReadStatusAsync(stream);
    }

    /// <summary>
    /// Starts posting a chunked body of <paramref name="contentType"/> whose first chunk is <paramref name="firstChunk"/>,
    /// and sends no more: a stream that stalls, or goes on with <see cref="SendChunkAsync"/>.
    /// </summary>
    public static async Task<TcpClient> StartChunkedAsync(string runtimeApi, string path, string firstChunk, string contentType = "application/json", bool streamingMode = false)
    {
        var tcp = await ConnectAsync(runtimeApi);
        var request = ChunkedHead(runtimeApi, path, contentType, streamingMode) + $"{Encoding.UTF8.GetByteCount(firstChunk):x}\r\n{firstChunk}\r\n";
        await tcp.GetStream().WriteAsync(Encoding.UTF8.GetBytes(request));
        return tcp;
    }

    /// <summary>Sends one more chunk of a post begun by <see cref="StartChunkedAsync"/>.</summary>
    public static async Task SendChunkAsync(TcpClient started, string chunk) =>
        await started.GetStream().WriteAsync(Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetByteCount(chunk):x}\r\n{chunk}\r\n"));

    /// <summary>Polls for the next invocation and returns its id.</summary>
    public static async Task<string> TakeNextAsync(HttpClient runtime)
    {
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        return next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single();
    }

    /// <summary>Takes the next invocation and answers it with <paramref name="reply"/> at <c>{id}/{kind}</c> (response or error).</summary>
    /// <returns>What <c>next</c> carried: its headers and the payload.</returns>
    public static async Task<(HttpResponseHeaders Headers, string Payload)> AnswerNextAsync(HttpClient runtime, string reply, string kind = "response")
    {
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(TimeSpan.FromSeconds(30));
        var payload = await next.Content.ReadAsStringAsync();
        using var answered = await runtime.PostAsync($"invocation/{next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single()}/{kind}", new StringContent(reply));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, answered.StatusCode);
        return (next.Headers, payload);
    }

    /// <summary>
    /// Ends a post begun by <see cref="StartChunkedAsync"/> with <paramref name="lastChunk"/> and <paramref name="trailers"/>,
    /// and returns the status line's code.
    /// </summary>
    /// <summary>A <c>Lambda-Runtime-Function-Error-Body</c> value: the document in base64 (aws-lambda-go) or as it is (.NET's runtime client).</summary>
    public static string ErrorBodyTrailer(string document, bool base64) => base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(document)) : document;

    public static async Task<int> FinishChunkedAsync(TcpClient started, string lastChunk, params (string Name, string Value)[] trailers)
    {
        var stream = started.GetStream();
        var end = new StringBuilder($"{Encoding.UTF8.GetByteCount(lastChunk):x}\r\n{lastChunk}\r\n0\r\n");
        foreach (var (name, value) in trailers)
        {
            end.Append($"{name}: {value}\r\n");
        }

        await stream.WriteAsync(Encoding.UTF8.GetBytes(end.Append("\r\n").ToString()));
        return await ReadStatusAsync(stream);
    }

    private static async Task<int> ReadStatusAsync(Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        var statusLine = await reader.ReadLineAsync() ?? "";
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<TcpClient> ConnectAsync(string runtimeApi)
    {
        var authority = runtimeApi[..runtimeApi.IndexOf('/', StringComparison.Ordinal)];
        var colon = authority.LastIndexOf(':');
        var tcp = new TcpClient();
        await tcp.ConnectAsync(authority[..colon], int.Parse(authority[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        return tcp;
    }

    /// <summary>The head of a chunked post as aws-lambda-go sends it, announcing its error trailers.</summary>
    private static string ChunkedHead(string runtimeApi, string path, string contentType = "application/json", bool streamingMode = false)
    {
        var authority = runtimeApi[..runtimeApi.IndexOf('/', StringComparison.Ordinal)];
        return $"POST {runtimeApi[authority.Length..]}/2018-06-01/runtime/{path} HTTP/1.1\r\nHost: {authority}\r\nContent-Type: {contentType}\r\n"
            + (streamingMode ? $"{LambdaRuntimeApiWire.ResponseModeHeader}: streaming\r\n" : "")
            + "Transfer-Encoding: chunked\r\nTrailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\nConnection: close\r\n\r\n";
    }
}
