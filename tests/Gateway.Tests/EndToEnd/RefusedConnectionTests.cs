using System.Net;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A pushed worker whose address refuses the connection: the invocation never reached it, so it goes to another instance
/// of the cluster — before, each invocation sent there was answered 502 until the second failed probe. The same for the
/// <c>/initialize</c> call and for web-mode requests, whose method and body may not be repeatable once sent, but were not.
/// </summary>
public sealed class RefusedConnectionTests
{
    /// <summary>Long enough that no probe after the first one at start-up runs during the test.</summary>
    private const string ProbeIntervalPastTheTest = "01:00:00";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task OneOfTwoWorkersRefuses_EveryInvocationSucceeds_OnTheWorkerThatListens()
    {
        using var dead = new RefusingAddress();
        await using var worker = await TestWorker.ReturningAsync("up");
        await using var gateway = await TestGateway.StartAsync(TwoWorkers(dead, worker).Values);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await gateway.Client.GetAsync("/echo/")).StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(6, worker.Received.Count);
    }

    [Fact]
    public async Task OneOfTwoWorkersRefusesItsInitializeCall_EveryInvocationSucceeds_OnTheWorkerThatListens()
    {
        using var dead = new RefusingAddress();
        await using var worker = await TestWorker.ReturningAsync("up");
        await using var gateway = await TestGateway.StartAsync(TwoWorkers(dead, worker).Set("Gateway:Functions:echo:Initializer", "true").Values);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await gateway.Client.GetAsync("/echo/")).StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(["/initialize", .. Enumerable.Repeat("/invoke", 6)], worker.Received.Select(request => request.Path));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OneOfTwoWebWorkersRefuses_EveryPostSucceeds_WithItsBodyWhole_OnTheWorkerThatListens(bool initializer)
    {
        using var dead = new RefusingAddress();
        await using var worker = await TestWorker.ReturningAsync("up");
        await using var gateway = await TestGateway.StartAsync(TwoWorkers(dead, worker)
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("Gateway:Functions:echo:Initializer", initializer ? "true" : "false").Values);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await gateway.Client.PostAsync("/echo/", new StringContent($"order {i}"))).StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(
            Enumerable.Range(0, 6).Select(i => $"order {i}"),
            worker.Received.Where(request => request.Path == "/echo/").Select(request => Encoding.UTF8.GetString(request.Body)));
    }

    [Fact]
    public async Task TheOnlyWorkerRefuses_Is502_WithNoOtherInstanceToTry()
    {
        using var dead = new RefusingAddress();
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", dead.Url)
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", ProbeIntervalPastTheTest).Values);

        var first = await gateway.Client.GetAsync("/echo/");
        var second = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, second.StatusCode);
    }

    /// <summary>
    /// With no other instance to try, an invocation whose <c>/initialize</c> call found the worker's address refusing the
    /// connection ends as one whose worker was not reached (502 ProcessExitedError's outcome, the cause logged), not as an
    /// initializer that failed.
    /// </summary>
    [Theory]
    [InlineData("event")]
    [InlineData("web")]
    public async Task TheOnlyWorkerRefusesItsInitializeCall_Is502_LoggedAsNotReached(string mode)
    {
        using var dead = new RefusingAddress();
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", dead.Url)
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", mode)
            .Set("Gateway:Functions:echo:Initializer", "true")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", ProbeIntervalPastTheTest).Values);

        using var response = await gateway.Client.PostAsync("/echo/", new StringContent("order"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=worker_crashed"));
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("ended worker_crashed: Could not connect to the worker at ", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("initialization_failed", StringComparison.Ordinal));
    }

    /// <summary>
    /// An invocation that waited 11 of its 17 s of <c>QueueTimeout</c> before its worker refused the connection waits for
    /// another instance for the 6 s left, not 17 s more: refused connections cannot stretch its wait past its deadline.
    /// </summary>
    [Fact]
    public async Task AnInvocationRefusedAfterWaiting_WaitsForAnotherInstance_OnlyWhatIsLeftOfItsQueueTimeout()
    {
        var time = new WatchedTimeProvider();
        using var first = new HoldingAddress();
        using var second = new HoldingAddress();
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", first.Url, second.Url)
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Enabled", "false")
            .Set("Gateway:Functions:echo:Timeout", "00:01:00")
            .Set("Gateway:Functions:echo:QueueTimeout", "00:00:17").Values, builder => builder.Services.AddSingleton<TimeProvider>(time));
        var held = new[] { gateway.Client.GetAsync("/echo/"), gateway.Client.GetAsync("/echo/") };
        var running = await first.AcceptAsync().WaitAsync(Bound);
        await second.AcceptAsync().WaitAsync(Bound);

        var late = gateway.Client.GetAsync("/echo/");
        await time.TimerSet(TimeSpan.FromSeconds(17)).WaitAsync(Bound);
        time.Advance(TimeSpan.FromSeconds(11));
        first.Refuse();
        running.Dispose();

        await time.TimerSet(TimeSpan.FromSeconds(6)).WaitAsync(Bound);
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await late.WaitAsync(Bound)).StatusCode);
        second.Dispose();
        Assert.All(await Task.WhenAll(held).WaitAsync(Bound), response => Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode));
    }

    /// <summary>
    /// A web request without content (no body, no Content-Length) that its worker took, then closed the connection on
    /// unanswered, its address refusing connections from then on (a crash): HttpClient sends the request again itself and
    /// finds the address refusing, which reads as a worker never reached. Only an idempotent request goes to another
    /// instance; a POST may have run, and is answered 502 — before, it ran on the other instance too.
    /// </summary>
    [Theory]
    [InlineData("GET", 200, 1)]
    [InlineData("POST", 502, 0)]
    public async Task AWebRequestWithoutContent_ItsWorkerGoneWithIt_GoesToAnotherInstance_OnlyIfIdempotent(string method, int status, int onTheOther)
    {
        using var crashing = new HoldingAddress();
        await using var worker = await TestWorker.ReturningAsync("up");
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", crashing.Url, worker.Url)
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "FirstAlphabetical")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Enabled", "false").Values);

        var sent = RawHttp.SendAsync(gateway.Url, $"{method} /echo/ HTTP/1.1\nHost: a\n\n");
        using (var taken = await crashing.AcceptAsync().WaitAsync(Bound))
        {
            await ReadHeadAsync(taken).WaitAsync(Bound);
            crashing.Refuse();
        }

        var response = await sent.WaitAsync(Bound);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(onTheOther, worker.Received.Count);
    }

    /// <summary>
    /// A body the gateway announces with <c>Expect: 100-continue</c> (<see cref="FcGateway.Edge.WebTriggers.WebTriggerTransforms.AskFirstFromBytes"/>)
    /// waits for the worker to ask for it: its head was sent, and HttpClient sends it again itself when the connection ends
    /// unanswered, so a refusal then does not say the worker never saw it; a POST so is answered 502, not run on the
    /// other instance.
    /// </summary>
    [Fact]
    public async Task AWebRequestWhoseBodyWaitsToContinue_ItsWorkerGoneWithIt_IsNotSentToAnotherInstance()
    {
        using var crashing = new HoldingAddress();
        await using var worker = await TestWorker.ReturningAsync("up");
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", crashing.Url, worker.Url)
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "FirstAlphabetical")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Enabled", "false").Values);
        var body = new byte[FcGateway.Edge.WebTriggers.WebTriggerTransforms.AskFirstFromBytes];

        var sent = RawHttp.SendAsync(gateway.Url, $"POST /echo/ HTTP/1.1\nHost: a\nContent-Length: {body.Length}\n\n", body);
        using (var taken = await crashing.AcceptAsync().WaitAsync(Bound))
        {
            await ReadHeadAsync(taken).WaitAsync(Bound);
            crashing.Refuse();
        }

        var response = await sent.WaitAsync(Bound);

        Assert.Equal(502, response.StatusCode);
        Assert.Empty(worker.Received);
    }

    /// <summary>Reads a request head of no more than 8 KiB from <paramref name="connection"/>, up to its blank line.</summary>
    private static async Task ReadHeadAsync(Socket connection)
    {
        var head = new byte[8192];
        var length = 0;
        while (!Encoding.ASCII.GetString(head, 0, length).Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await connection.ReceiveAsync(head.AsMemory(length));
            Assert.NotEqual(0, read);
            length += read;
        }
    }

    private static GatewayConfiguration TwoWorkers(RefusingAddress dead, TestWorker worker) =>
        new GatewayConfiguration().WithFunction("echo", dead.Url, worker.Url)
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "RoundRobin")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", ProbeIntervalPastTheTest);

    /// <summary>
    /// A loopback address that takes connections and never answers on them, until <see cref="Refuse"/> closes its listener
    /// (it then refuses new ones) or it is disposed (the connections it took are cut).
    /// </summary>
    private sealed class HoldingAddress : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly List<Socket> _accepted = [];

        public HoldingAddress()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}";
        }

        public string Url { get; }

        /// <summary>The next connection taken; disposing it cuts it.</summary>
        public async Task<Socket> AcceptAsync()
        {
            var accepted = await _listener.AcceptAsync();
            lock (_accepted)
            {
                _accepted.Add(accepted);
            }

            return accepted;
        }

        public void Refuse() => _listener.Dispose();

        public void Dispose()
        {
            _listener.Dispose();
            lock (_accepted)
            {
                _accepted.ForEach(socket => socket.Dispose());
            }
        }
    }
}
