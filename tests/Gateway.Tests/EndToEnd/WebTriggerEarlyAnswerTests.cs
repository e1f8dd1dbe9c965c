using System.Net;
using System.Net.Sockets;
using System.Text;
using FcGateway.Edge.WebTriggers;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A web function that answers a large upload without reading it (a 413 for a body it will not take, a 401) and closes
/// its connection, as Go's server does with more than 256 KiB unread: the client gets that answer, not a 502 for a send
/// the closed connection failed.
/// </summary>
public sealed class WebTriggerEarlyAnswerTests
{
    [Fact]
    public async Task WorkerAnsweringALargeBodyUnread_AndClosing_ItsAnswerReachesTheClient()
    {
        await using var worker = EarlyAnsweringWorker.Start();
        await using var gateway = await TestGateway.StartAsync(WebFunction(worker.Url).Values);

        using var response = await gateway.Client.PostAsync("/echo/upload", new ByteArrayContent(new byte[16 * 1024 * 1024]));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True(response.Headers.Contains("X-Fc-Request-Id"));
        Assert.Contains("Expect: 100-continue", await worker.LastHead, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SmallerBody_IsSentWithoutWaitingForTheWorkerToAskForIt()
    {
        await using var worker = EarlyAnsweringWorker.Start();
        await using var gateway = await TestGateway.StartAsync(WebFunction(worker.Url).Values);

        // The body goes out with the head; the worker's close with it unread may reset the connection before its answer
        // is read, and the gateway, answering before it has read the client's whole body, may close the client's
        // connection while the client still sends: so only what the worker received is asserted.
        try
        {
            using var response = await gateway.Client.PostAsync("/echo/upload", new ByteArrayContent(new byte[WebTriggerTransforms.AskFirstFromBytes - 1]));
        }
        catch (HttpRequestException)
        {
        }

        Assert.DoesNotContain("Expect:", await worker.LastHead.WaitAsync(TimeSpan.FromSeconds(30)), StringComparison.OrdinalIgnoreCase);
    }

    private static GatewayConfiguration WebFunction(string workerUrl) =>
        new GatewayConfiguration().WithFunction("echo", workerUrl).Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web");

    /// <summary>
    /// A TCP listener on 127.0.0.1:0 that reads each request's head, answers 413 with <c>Connection: close</c> and closes
    /// the connection with the body unread (a reset, where more of it was sent). Health probes get the same answer.
    /// </summary>
    private sealed class EarlyAnsweringWorker : IAsyncDisposable
    {
        private const string Answer = "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly TaskCompletionSource<string> _uploadHead = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Task _accepting;

        private EarlyAnsweringWorker()
        {
            _listener.Start();
            _accepting = AcceptAsync();
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

        /// <summary>The head of the first <c>POST</c> the worker answered.</summary>
        public Task<string> LastHead => _uploadHead.Task;

        public static EarlyAnsweringWorker Start() => new();

        private async Task AcceptAsync()
        {
            try
            {
                while (true)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    var head = await ReadHeadAsync(client.GetStream());
                    if (head.StartsWith("POST ", StringComparison.Ordinal))
                    {
                        _uploadHead.TrySetResult(head);
                    }

                    await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Answer), _stop.Token);
                    client.Client.Close();
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
            {
            }
        }

        private async Task<string> ReadHeadAsync(NetworkStream stream)
        {
            var head = new StringBuilder();
            var buffer = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer, _stop.Token) == 1)
            {
                head.Append((char)buffer[0]);
            }

            return head.ToString();
        }

        public async ValueTask DisposeAsync()
        {
            // The loop ends on the cancellation first: a listener stopped under it would refuse its next accept.
            await _stop.CancelAsync();
            await _accepting;
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
