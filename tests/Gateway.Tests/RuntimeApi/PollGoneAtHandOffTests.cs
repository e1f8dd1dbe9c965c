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
