using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// One cleartext port of the runtime API serves HTTP/1.1 (the official runtime clients) and HTTP/2 with prior knowledge
/// (the C# SDK told <c>FCGATEWAY_RUNTIME_API_PROTOCOL=h2c</c>), chosen by each connection's first bytes.
/// </summary>
public sealed class RuntimeApiHttp2Tests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    public async Task AWorker_PollsAndReplies_OverEitherProtocol_OnTheSamePort(int major)
    {
        await using var gateway = await PullFunction.StartAsync();
        using var runtime = new HttpClient(new SocketsHttpHandler())
        {
            BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/"),
            DefaultRequestVersion = new Version(major, major == 2 ? 0 : 1),
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var client = gateway.Client.PostAsync("/echo/", new StringContent("hello"));

        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        Assert.Equal(major, next.Version.Major);
        Assert.Contains("\"body\":\"hello\"", await next.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var reply = await runtime.PostAsync(
            $"{next.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("""{"statusCode":200,"body":"answered"}"""));
        var response = await client.WaitAsync(Bound);

        Assert.Equal(major, reply.Version.Major);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Equal("answered", await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Over HTTP/2 a worker's death reaches the reply's read as the stream's abort, not as Kestrel's early end of a body:
    /// it must still be the worker's crash, not a timeout or a reply that is not HTTP. Repeated, since the read's failure
    /// and the request's abort come in either order.
    /// </summary>
    [Fact]
    public async Task AWorker_WhoseConnectionGoesAwayInTheMiddleOfItsReply_HasCrashed()
    {
        // The reply's head reaches the gateway from HttpClient's own writing loop, some time after the body's first bytes
        // were flushed to it: the connection goes away once the gateway has begun to read the reply.
        // The runtime API's Debug line for a reply it has begun to read says when it has; a rule of the test's own provider
        // lets it through to it.
        using var logs = new CapturedLogs();
        await using var gateway = await PullFunction.StartAsync(
            c => c.Set($"Logging:{typeof(CapturedLogs).FullName}:LogLevel:{typeof(RuntimeApiEndpoints).FullName}", "Debug"), logs: logs);
        for (var death = 0; death < 5; death++)
        {
            var invoked = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));
            Socket? connection = null;
            using var runtime = Http2Client(gateway, new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancellation) =>
                {
                    connection = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await connection.ConnectAsync(context.DnsEndPoint, cancellation);
                    return new NetworkStream(connection, ownsSocket: true);
                },
            });
            using var next = await runtime.GetAsync("next").WaitAsync(Bound);
            var halfSent = new HalfSentContent();
            _ = runtime.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/response", halfSent);
            await halfSent.Sent.WaitAsync(Bound);

            var repliesBefore = death;
            await Eventually.HoldsAsync(() => logs.Lines.Count(line => line.Contains("reading the reply to invocation", StringComparison.Ordinal)) > repliesBefore);

            connection!.Dispose();
            var response = await invoked.WaitAsync(Bound);

            Assert.Equal("ProcessExitedError", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
        }
    }

    [Fact]
    public async Task AClientPreface_SentInPieces_IsStillHttp2()
    {
        await using var gateway = await PullFunction.StartAsync();
        using var socket = await ConnectAsync(gateway);

        await socket.SendAsync("PRI * HTTP/2.0\r\n"u8.ToArray());
        await socket.SendAsync("\r\nSM\r\n\r\n"u8.ToArray());
        await socket.SendAsync(new byte[] { 0, 0, 0, 4, 0, 0, 0, 0, 0 }); // an empty SETTINGS frame

        var frameHeader = await ReceiveAsync(socket, 9);
        Assert.Equal(4, frameHeader[3]); // the server's preface: a SETTINGS frame
    }

    [Theory]
    [InlineData("PRIZE / HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("PRI * HTTP/1.1\r\nHost: x\r\n\r\n")]
    [InlineData("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")]
    public async Task ARequestThatOnlyStartsLikeThePreface_IsHttp11(string request)
    {
        await using var gateway = await PullFunction.StartAsync();
        using var socket = await ConnectAsync(gateway);

        await socket.SendAsync(Encoding.ASCII.GetBytes(request));

        Assert.Equal("HTTP/1.1 ", Encoding.ASCII.GetString(await ReceiveAsync(socket, 9)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AConnectionClosedOrResetBeforeItsFirstBytes_TouchesNothing(bool reset)
    {
        using var logs = new CapturedLogs();
        await using var gateway = await PullFunction.StartAsync(logs: logs);
        using (var silent = await ConnectAsync(gateway))
        {
            if (reset)
            {
                silent.LingerState = new LingerOption(true, 0);
            }
            else
            {
                silent.Shutdown(SocketShutdown.Both);
            }
        }

        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        using var unknown = await runtime.PostAsync("1-00000000-000000000000000000000000/response", new StringContent("x")).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.DoesNotContain(logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) || line.StartsWith("Critical", StringComparison.Ordinal));
    }

    private static HttpClient Http2Client(TestGateway gateway, HttpMessageHandler handler) => new(handler)
    {
        BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/"),
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private static async Task<Socket> ConnectAsync(TestGateway gateway)
    {
        var address = new Uri("http://" + gateway.RuntimeApi());
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, address.Port)).WaitAsync(Bound);
        return socket;
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, int length)
    {
        var received = new byte[length];
        var count = 0;
        while (count < length)
        {
            var read = await socket.ReceiveAsync(received.AsMemory(count)).AsTask().WaitAsync(Bound);
            Assert.NotEqual(0, read);
            count += read;
        }

        return received;
    }

    /// <summary>A reply body of which ten bytes are sent, and the rest never.</summary>
    private sealed class HalfSentContent : HttpContent
    {
        private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Sent => _sent.Task;

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync("0123456789"u8.ToArray(), cancellationToken);
            await stream.FlushAsync(cancellationToken);
            _sent.TrySetResult();
            await Task.Delay(Bound, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 100;
            return true;
        }
    }
}
