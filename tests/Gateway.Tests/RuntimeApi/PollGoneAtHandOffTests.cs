using System.Net;
using System.Net.Sockets;
using System.Text;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Push;
using FcGateway.Outcomes;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// A poll whose connection goes away between taking an invocation and its answer being written: Kestrel drops the answer
/// without throwing, and the invocation must fail as the worker's crash at once, not wait for a reply that never comes
/// (until the function's timeout, which the test's clock never reaches).
/// </summary>
public sealed class PollGoneAtHandOffTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The worker ends its sending side as its poll takes the invocation (the C# SDK gives up a poll so when it stops), and
    /// the invocation is written only once the gateway has answered with its own end: Kestrel has given the connection up,
    /// while the poll's RequestAborted is cancelled later, from the thread pool. Repeated, since that cancellation comes
    /// before or after the answer is written.
    /// </summary>
    [Theory]
    [InlineData("")]
    [InlineData("{\"body\":\"hello\"}")]
    public async Task APollHalfClosed_AsItTakesTheInvocation_FailsItAsCrashed(string payload)
    {
        await using var gateway = await PullFunction.StartAsync();
        for (var round = 0; round < 10; round++)
        {
            using var poll = await ConnectAsync(gateway);
            var received = -1;

            var invoked = InvokeAsync(gateway, $"1-00000000-{round:D24}", payload, taken: () => received = HalfCloseAndReadToTheEnd(poll));
            await poll.SendAsync(Encoding.ASCII.GetBytes($"GET /functions/{PullFunction.Name}/2020-11-11/runtime/invocation/next HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            var result = await invoked.WaitAsync(Bound);

            Assert.Equal(0, received);
            Assert.Equal(Outcome.WorkerCrashed, result.Outcome);
        }
    }

    /// <summary>
    /// Over h2c the worker resets its poll's stream as the poll takes the invocation (HttpClient cancelling it), and the
    /// invocation is written only once the gateway has answered a PING sent behind the reset: Kestrel reads a connection's
    /// frames in order, so the stream was given up by then.
    /// </summary>
    [Fact]
    public async Task AnHttp2PollReset_AsItTakesTheInvocation_FailsItAsCrashed()
    {
        await using var gateway = await PullFunction.StartAsync();
        for (var round = 0; round < 10; round++)
        {
            using var poll = await ConnectAsync(gateway);
            var answered = false;

            var invoked = InvokeAsync(gateway, $"1-00000000-{round:D24}", "{\"body\":\"hello\"}", taken: () => answered = ResetAndPing(poll));
            await poll.SendAsync(Http2Poll($"/functions/{PullFunction.Name}/2020-11-11/runtime/invocation/next"));
            var result = await invoked.WaitAsync(Bound);

            Assert.False(answered);
            Assert.Equal(Outcome.WorkerCrashed, result.Outcome);
        }
    }

    /// <summary>The client preface, empty settings, and stream 1's GET of <paramref name="path"/> (HPACK, no Huffman, nothing indexed).</summary>
    private static byte[] Http2Poll(string path)
    {
        var block = new List<byte> { 0x82, 0x86, 0x04, (byte)path.Length };
        block.AddRange(Encoding.ASCII.GetBytes(path));
        block.AddRange([0x01, 9, .. "127.0.0.1"u8.ToArray()]);
        return [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray(), .. Frame(4, 0, 0, []), .. Frame(1, 0x5, 1, [.. block])];
    }

    /// <summary>Resets stream 1 and pings behind it; true if a HEADERS frame of stream 1 (the answer) came before the PING's ACK.</summary>
    private static bool ResetAndPing(Socket poll)
    {
        poll.Send([.. Frame(3, 0, 1, [0, 0, 0, 8]), .. Frame(6, 0, 0, new byte[8])]);
        var answered = false;
        while (true)
        {
            var header = ReceiveExactly(poll, 9);
            ReceiveExactly(poll, (header[0] << 16) | (header[1] << 8) | header[2]);
            var (type, flags, stream) = (header[3], header[4], header[8]);
            if (type == 6 && (flags & 1) == 1)
            {
                return answered;
            }

            answered |= type == 1 && stream == 1;
        }
    }

    private static byte[] Frame(byte type, byte flags, byte stream, byte[] payload) =>
        [(byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, type, flags, 0, 0, 0, stream, .. payload];

    private static byte[] ReceiveExactly(Socket socket, int length)
    {
        var received = new byte[length];
        for (var count = 0; count < length;)
        {
            var read = socket.Receive(received, count, length - count, SocketFlags.None);
            Assert.NotEqual(0, read);
            count += read;
        }

        return received;
    }

    private static int HalfCloseAndReadToTheEnd(Socket poll)
    {
        poll.Shutdown(SocketShutdown.Send);
        var buffer = new byte[1024];
        var received = 0;
        int read;
        while ((read = poll.Receive(buffer)) > 0)
        {
            received += read;
        }

        return received;
    }

    private static async Task<InvocationResult> InvokeAsync(TestGateway gateway, string requestId, string payload, Action taken)
    {
        var settings = new GatewaySettings
        {
            Functions = new Dictionary<string, FunctionSettings> { [PullFunction.Name] = FunctionSettings.Default },
        };
        var directory = gateway.Services.GetRequiredService<RuntimeApiDirectory>();
        using var output = new PooledBuffer();
        var request = new InvocationRequest
        {
            RequestId = requestId,
            Target = new FunctionTarget(PullFunction.Name, settings, new ClusterState("c")),
            Candidates = [],
            Payload = new BufferPayload(Encoding.UTF8.GetBytes(payload)),
            Output = output,
        };

        return await new PullInvoker(directory, new FakeTimeProvider())
            .InvokeAsync(request, directory.MailboxOf(PullFunction.Name), 10, CancellationToken.None, taken);
    }

    private static async Task<Socket> ConnectAsync(TestGateway gateway)
    {
        var port = gateway.Services.GetRequiredService<RuntimeApiServer>().Address!.Port;
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = (int)Bound.TotalMilliseconds };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WaitAsync(Bound);
        return socket;
    }
}
