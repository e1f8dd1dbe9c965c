using System.Net;
using FcGateway.Dispatch.Scheduling;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.EndToEnd;

/// <summary>A pushed worker that a reload retires gets <c>GET /pre-stop</c> when its function says <c>PreStop</c> (wire contract §2).</summary>
public sealed class PreStopTests
{
    private const string Retired = "is retired by the reload";

    [Fact]
    public async Task ADestinationAReloadRemoves_GetsPreStopWithTheCommonHeaders_OnceItsInvocationInFlightHasFinished()
    {
        await using var retired = await HeldWorker.StartAsync("ok", "200");
        await using var kept = await TestWorker.ReturningAsync("kept");
        var (gateway, configuration) = await StartAsync(new GatewayConfiguration().WithFunction("echo", retired.Worker.Url, kept.Url)
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "FirstAlphabetical")
            .Set("Gateway:Functions:echo:PreStop", "true")
            .Set("Gateway:Functions:echo:Timeout", "00:00:07")
            .Set("Gateway:Functions:echo:MemorySize", "256")
            .Set("Gateway:Functions:echo:Handler", "index.main")
            .Set("Gateway:Functions:echo:Credentials:AccessKeyId", "AKID"));
        await using var _ = gateway;

        var inFlight = await RetireWhileHeldAsync(gateway, configuration, retired, "/echo/");
        var afterTheReload = await gateway.Client.GetAsync("/echo/");
        var preStopWhileTheInvocationRan = retired.PreStop.IsCompleted;
        retired.Finish();
        using var response = await inFlight;
        var preStop = await retired.PreStop.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("kept", await afterTheReload.Content.ReadAsStringAsync());
        Assert.False(preStopWhileTheInvocationRan);
        Assert.False(retired.PreStopCameBeforeTheEnd);
        Assert.Equal("GET", preStop.Method);
        Assert.Empty(preStop.Body);
        Assert.Matches("^1-[0-9a-f]{8}-[0-9a-f]{24}$", preStop.Header("x-fc-request-id"));
        Assert.NotEqual(response.Headers.GetValues("X-Fc-Request-Id").Single(), preStop.Header("x-fc-request-id"));
        Assert.Equal("/pre-stop", preStop.Header("x-fc-control-path"));
        Assert.Equal("echo", preStop.Header("x-fc-function-name"));
        Assert.Equal("index.main", preStop.Header("x-fc-function-handler"));
        Assert.Equal("256", preStop.Header("x-fc-function-memory"));
        Assert.Equal("7", preStop.Header("x-fc-function-timeout"));
        Assert.Equal("cn-test", preStop.Header("x-fc-region"));
        Assert.Equal("1234567890", preStop.Header("x-fc-account-id"));
        Assert.Equal("LATEST", preStop.Header("x-fc-qualifier"));
        Assert.Equal("LATEST", preStop.Header("x-fc-version-id"));
        Assert.Equal("AKID", preStop.Header("x-fc-access-key-id"));
        Assert.Null(preStop.Header("x-fc-access-key-secret"));
        Assert.Single(retired.Worker.Received, r => r.Path == "/pre-stop");
        Assert.DoesNotContain(kept.Received, r => r.Path == "/pre-stop");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"the worker at {retired.Worker.Url}, retired by a reload, answered its pre-stop"));
    }

    [Fact]
    public async Task AWebFunctionsDestinationAReloadRemoves_GetsPreStop_OnceTheRequestItForwardsHasFinished()
    {
        await using var retired = await HeldWorker.StartAsync("web", fcStatus: null);
        await using var kept = await TestWorker.ReturningAsync("kept");
        var (gateway, configuration) = await StartAsync(new GatewayConfiguration().WithFunction("echo", retired.Worker.Url, kept.Url)
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "FirstAlphabetical")
            .Set("Gateway:Functions:echo:PreStop", "true"));
        await using var _ = gateway;

        var inFlight = await RetireWhileHeldAsync(gateway, configuration, retired, "/echo/page");
        using var afterTheReload = await gateway.Client.GetAsync("/echo/");
        var preStopWhileTheRequestRan = retired.PreStop.IsCompleted;
        retired.Finish();
        using var response = await inFlight;
        var preStop = await retired.PreStop.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("web", await response.Content.ReadAsStringAsync());
        Assert.False(preStopWhileTheRequestRan);
        Assert.Equal("GET", preStop.Method);
        Assert.Equal("/pre-stop", preStop.Header("x-fc-control-path"));
        Assert.Equal(["/echo/page", "/pre-stop"], retired.Worker.Received.Select(r => r.Path));
    }

    [Fact]
    public async Task AnAddressALaterReloadGivesBack_BeforeItsInvocationInFlightFinished_GetsNoPreStop()
    {
        await using var held = await HeldWorker.StartAsync("ok", "200");
        var worker = held.Worker;
        await using var other = await TestWorker.ReturningAsync("other");
        var (gateway, configuration, inFlight) = await RetiredAndGivenBackWhileHeldAsync(held, other);
        await using var _ = gateway;
        held.Finish();
        using var response = await inFlight;

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is the function's again since a later one: it gets no pre-stop."));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(worker.Received, r => r.Path == "/pre-stop");
    }

    /// <summary>
    /// Retired, given back and retired again while the first retirement's invocation is still in flight: one pre-stop,
    /// once that invocation has finished, not one per retirement, nor one at once for the second.
    /// </summary>
    [Fact]
    public async Task AnAddressRetiredAgain_BeforeItsInvocationInFlightFinished_GetsOnePreStop_AfterIt()
    {
        await using var held = await HeldWorker.StartAsync("ok", "200");
        var worker = held.Worker;
        await using var other = await TestWorker.ReturningAsync("other");
        var (gateway, configuration, inFlight) = await RetiredAndGivenBackWhileHeldAsync(held, other);
        await using var _ = gateway;
        configuration.Remove("ReverseProxy:Clusters:echo:Destinations:d2");
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Count(line => line.Contains(Retired, StringComparison.Ordinal)) == 2);
        held.Finish();
        using var response = await inFlight;
        await held.PreStop;
        using var afterwards = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(held.PreStopCameBeforeTheEnd);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("answered its pre-stop"));
        Assert.Single(worker.Received, r => r.Path == "/pre-stop");
    }

    [Fact]
    public async Task AWorkerSentItsPreStop_IsInitializedAgain_WhenALaterReloadGivesItsAddressBack()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var other = await TestWorker.ReturningAsync("other");
        var (gateway, configuration) = await StartAsync(new GatewayConfiguration().WithFunction("echo", worker.Url, other.Url)
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "FirstAlphabetical")
            .Set("Gateway:Functions:echo:Initializer", "true")
            .Set("Gateway:Functions:echo:PreStop", "true"));
        await using var _ = gateway;
        using var first = await gateway.Client.GetAsync("/echo/");

        configuration.Remove("ReverseProxy:Clusters:echo:Destinations:d0");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"the worker at {worker.Url}, retired by a reload, answered its pre-stop"));
        configuration.Put("ReverseProxy:Clusters:echo:Destinations:d0:Address", worker.Url);
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Count(line => line.Contains("is now in force", StringComparison.Ordinal)) == 2);
        using var afterItCameBack = await gateway.Client.GetAsync("/echo/");

        Assert.Equal("ok", await afterItCameBack.Content.ReadAsStringAsync());
        Assert.Equal(["/initialize", "/invoke", "/pre-stop", "/initialize", "/invoke"], worker.Received.Select(r => r.Path));
    }

    /// <summary>
    /// A reload moves the destination to another address while an invocation runs at the old one: the old address gets
    /// its pre-stop once that invocation has finished, though the destination keeps running invocations at the new one.
    /// </summary>
    [Fact]
    public async Task ADestinationAReloadMoves_GetsPreStopAtItsOldAddress_WhileItRunsInvocationsAtTheNewOne()
    {
        await using var old = await HeldWorker.StartAsync("old", "200");
        await using var current = await HeldWorker.StartAsync("current", "200");
        var (gateway, configuration) = await StartAsync(new GatewayConfiguration().WithFunction("echo", old.Worker.Url)
            .Set("Gateway:Functions:echo:InstanceConcurrency", "2")
            .Set("Gateway:Functions:echo:PreStop", "true"));
        await using var _ = gateway;
        var atTheOldAddress = gateway.Client.GetAsync("/echo/");
        await old.Arrived;

        configuration.Put("ReverseProxy:Clusters:echo:Destinations:d0:Address", current.Worker.Url);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains(Retired));
        var atTheNewAddress = gateway.Client.GetAsync("/echo/");
        await current.Arrived;
        old.Finish();
        using var oldAnswer = await atTheOldAddress;
        await old.PreStop.WaitAsync(TimeSpan.FromSeconds(10));
        var newAnswerBeforeThePreStop = atTheNewAddress.IsCompleted;
        current.Finish();
        using var newAnswer = await atTheNewAddress;

        Assert.Equal("old", await oldAnswer.Content.ReadAsStringAsync());
        Assert.Equal("current", await newAnswer.Content.ReadAsStringAsync());
        Assert.False(newAnswerBeforeThePreStop);
        Assert.False(old.PreStopCameBeforeTheEnd);
        Assert.DoesNotContain(current.Worker.Received, r => r.Path == "/pre-stop");
    }

    /// <summary>
    /// Two functions share a cluster and a reload removes one: its worker's destination stays in force for the other, but
    /// was not moved, so the removed function's pre-stop waits until the worker runs none of its invocations, one queued
    /// before the reload and handed the worker after it included.
    /// </summary>
    [Fact]
    public async Task AFunctionAReloadRemoves_FromAClusterAnotherKeeps_GetsPreStop_OnceItsQueuedInvocationHasFinishedToo()
    {
        var arrived = new[] { new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        var finish = new[] { new TaskCompletionSource(), new TaskCompletionSource() };
        var preStop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var invocations = -1;
        await using var worker = await TestWorker.StartAsync(async (context, request) =>
        {
            if (request.Path == "/pre-stop")
            {
                preStop.TrySetResult();
            }
            else if (Interlocked.Increment(ref invocations) is var n and < 2)
            {
                arrived[n].TrySetResult();
                await finish[n].Task;
            }

            await TestWorker.Reply(context, 200, "ok", "200");
        });
        var (gateway, configuration) = await StartAsync(new GatewayConfiguration().WithFunction("told", worker.Url).WithFunction("kept")
            .Set("ReverseProxy:Routes:kept:ClusterId", "told")
            .Set("Gateway:Functions:kept:InstanceConcurrency", "1")
            .Set("Gateway:Functions:told:InstanceConcurrency", "1")
            .Set("Gateway:Functions:told:PreStop", "true"));
        await using var _ = gateway;
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf("told");
        var first = gateway.Client.GetAsync("/told/");
        await arrived[0].Task;
        var queued = gateway.Client.GetAsync("/told/");
        await Eventually.HoldsAsync(() => queue.Queued == 1);

        configuration.Remove("ReverseProxy:Routes:told");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains(Retired));
        finish[0].SetResult();
        await arrived[1].Task;
        using var firstAnswer = await first;
        await Task.WhenAny(preStop.Task, Task.Delay(TimeSpan.FromSeconds(1)));
        var preStopWhileTheQueuedOneRan = preStop.Task.IsCompleted;
        finish[1].SetResult();
        using var queuedAnswer = await queued;
        await preStop.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.OK, firstAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, queuedAnswer.StatusCode);
        Assert.False(preStopWhileTheQueuedOneRan);
    }

    /// <summary>Two functions at one worker, removed by one edit: only the one with PreStop has its pre-stop sent.</summary>
    [Fact]
    public async Task AFunctionWithoutPreStop_GetsNone()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var (gateway, configuration) = await StartAsync(new GatewayConfiguration()
            .WithFunction("plain", worker.Url)
            .WithFunction("told", worker.Url)
            .WithFunction("other", worker.Url)
            .Set("Gateway:Functions:told:PreStop", "true"));
        await using var _ = gateway;

        configuration.Remove("ReverseProxy:Routes:plain", "ReverseProxy:Clusters:plain", "ReverseProxy:Routes:told", "ReverseProxy:Clusters:told");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("answered its pre-stop"));

        var preStop = Assert.Single(worker.Received, r => r.Path == "/pre-stop");
        Assert.Equal("told", preStop.Header("x-fc-function-name"));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("'plain'", StringComparison.Ordinal) && line.Contains(Retired, StringComparison.Ordinal));
    }

    /// <summary>
    /// An edit of the function's settings and of one destination's address: the destination that keeps its address keeps
    /// its instance, the one whose address changed retires the instance at the old address.
    /// </summary>
    [Fact]
    public async Task AnEditThatKeepsADestinationsAddress_RetiresNothingThere()
    {
        await using var kept = await TestWorker.ReturningAsync("kept");
        await using var moved = await TestWorker.ReturningAsync("moved");
        await using var replacement = await TestWorker.ReturningAsync("replacement");
        var (gateway, configuration) = await StartAsync(new GatewayConfiguration().WithFunction("echo", kept.Url, moved.Url)
            .Set("Gateway:Functions:echo:PreStop", "true"));
        await using var _ = gateway;

        configuration.Put(("Gateway:Functions:echo:Timeout", "00:00:09"), ("ReverseProxy:Clusters:echo:Destinations:d1:Address", replacement.Url));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("answered its pre-stop"));

        var preStop = Assert.Single(moved.Received, r => r.Path == "/pre-stop");
        Assert.Equal("60", preStop.Header("x-fc-function-timeout"));
        Assert.DoesNotContain(kept.Received, r => r.Path == "/pre-stop");
        Assert.DoesNotContain(replacement.Received, r => r.Path == "/pre-stop");
        Assert.Single(gateway.Logs.Lines, line => line.Contains(Retired, StringComparison.Ordinal));
    }

    [Fact]
    public async Task APreStopAnsweredWithAnError_IsLoggedEscaped_AndChangesNothing()
    {
        await using var retired = await TestWorker.StartAsync((context, request) =>
            TestWorker.Reply(context, request.Path == "/pre-stop" ? 500 : 200, "gone\r\nInformation forged line", fcStatus: null));
        await using var kept = await TestWorker.ReturningAsync("kept");
        var (gateway, configuration) = await StartAsync(new GatewayConfiguration().WithFunction("echo", retired.Url, kept.Url)
            .Set("Gateway:Functions:echo:PreStop", "true"));
        await using var _ = gateway;

        configuration.Remove("ReverseProxy:Clusters:echo:Destinations:d0");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("HTTP 500"));
        using var response = await gateway.Client.GetAsync("/echo/");

        var failure = Assert.Single(gateway.Logs.Lines, line => line.Contains("HTTP 500", StringComparison.Ordinal));
        Assert.StartsWith("Warning ", failure, StringComparison.Ordinal);
        Assert.Contains($"the worker at {retired.Url}", failure, StringComparison.Ordinal);
        Assert.Contains(@"gone\u000d\u000aInformation forged line", failure, StringComparison.Ordinal);
        Assert.Equal("kept", await response.Content.ReadAsStringAsync());
        Assert.Single(retired.Received, r => r.Path == "/pre-stop");
    }

    [Fact]
    public async Task APreStopNotAnsweredWithinTheFunctionTimeout_IsLogged()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var preStopArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var retired = await TestWorker.StartAsync(async (context, request) =>
        {
            if (request.Path == "/pre-stop")
            {
                preStopArrived.TrySetResult();
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
        });
        await using var kept = await TestWorker.ReturningAsync("kept");
        var (gateway, configuration) = await StartAsync(
            new GatewayConfiguration().WithFunction("echo", retired.Url, kept.Url)
                .Set("Gateway:Functions:echo:PreStop", "true")
                .Set("Gateway:Functions:echo:Timeout", "00:00:05"),
            time);
        await using var _ = gateway;

        configuration.Remove("ReverseProxy:Clusters:echo:Destinations:d0");
        await preStopArrived.Task.WaitAsync(TimeSpan.FromSeconds(20));
        time.Advance(TimeSpan.FromSeconds(5));

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("it did not answer within the function's Timeout, 00:00:05."));
        Assert.Equal("kept", await gateway.Client.GetStringAsync("/echo/"));
    }

    [Fact]
    public async Task APreStopToAWorkerThatIsGone_IsLogged()
    {
        using var gone = new RefusingAddress();
        await using var kept = await TestWorker.ReturningAsync("kept");
        var (gateway, configuration) = await StartAsync(new GatewayConfiguration().WithFunction("echo", gone.Url, kept.Url)
            .Set("Gateway:Functions:echo:PreStop", "true"));
        await using var _ = gateway;

        configuration.Remove("ReverseProxy:Clusters:echo:Destinations:d0");

        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"the worker at {gone.Url}, retired by a reload, failed its pre-stop"));
        Assert.Contains(gateway.Logs.Lines, line => line.StartsWith("Warning ", StringComparison.Ordinal) && line.Contains("it could not be reached", StringComparison.Ordinal));
        Assert.Equal("kept", await gateway.Client.GetStringAsync("/echo/"));
    }

    private static async Task<(TestGateway Gateway, EditableConfiguration Configuration)> StartAsync(GatewayConfiguration config, TimeProvider? time = null)
    {
        var editable = new EditableConfiguration(config.Values);
        var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            if (time is not null)
            {
                builder.Services.AddSingleton(time);
            }
        });
        return (gateway, editable);
    }

    /// <summary>
    /// Sends a request to <paramref name="path"/> and, once <paramref name="held"/> holds it, removes its destination
    /// (<c>d0</c>) and waits for the reload to retire it; the request, still in flight.
    /// </summary>
    private static async Task<Task<HttpResponseMessage>> RetireWhileHeldAsync(
        TestGateway gateway, EditableConfiguration configuration, HeldWorker held, string path)
    {
        var inFlight = gateway.Client.GetAsync(path);
        await held.Arrived;
        configuration.Remove("ReverseProxy:Clusters:echo:Destinations:d0");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains(Retired));
        return inFlight;
    }

    /// <summary>
    /// A gateway in front of <paramref name="held"/> (<c>d0</c>, picked first) and <paramref name="other"/> for a function
    /// with <c>PreStop</c>; a request held at the first, whose destination a reload retires and a second gives back (as
    /// <c>d2</c>). The request is still in flight.
    /// </summary>
    private static async Task<(TestGateway Gateway, EditableConfiguration Configuration, Task<HttpResponseMessage> InFlight)> RetiredAndGivenBackWhileHeldAsync(
        HeldWorker held, TestWorker other)
    {
        var (gateway, configuration) = await StartAsync(new GatewayConfiguration().WithFunction("echo", held.Worker.Url, other.Url)
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "FirstAlphabetical")
            .Set("Gateway:Functions:echo:PreStop", "true"));
        var inFlight = await RetireWhileHeldAsync(gateway, configuration, held, "/echo/");
        configuration.Put("ReverseProxy:Clusters:echo:Destinations:d2:Address", held.Worker.Url);
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Count(line => line.Contains("is now in force", StringComparison.Ordinal)) == 2);
        return (gateway, configuration, inFlight);
    }

    /// <summary>
    /// A worker that holds the first invocation (or forwarded request) it gets until <see cref="Finish"/>, answering
    /// <c>GET /pre-stop</c> at once: whether the pre-stop came while it held the invocation is recorded.
    /// </summary>
    private sealed class HeldWorker : IAsyncDisposable
    {
        private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _finish = new();
        private readonly TaskCompletionSource<ReceivedRequest> _preStop = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private HeldWorker()
        {
        }

        public TestWorker Worker { get; private set; } = null!;

        public Task Arrived => _arrived.Task;

        public Task<ReceivedRequest> PreStop => _preStop.Task;

        public bool PreStopCameBeforeTheEnd { get; private set; } = true;

        public static async Task<HeldWorker> StartAsync(string body, string? fcStatus)
        {
            var held = new HeldWorker();
            held.Worker = await TestWorker.StartAsync(async (context, request) =>
            {
                if (request.Path == "/pre-stop")
                {
                    held._preStop.TrySetResult(request);
                }
                else
                {
                    held._arrived.TrySetResult();
                    await held._finish.Task;
                    held.PreStopCameBeforeTheEnd = held._preStop.Task.IsCompleted;
                }

                await TestWorker.Reply(context, 200, body, fcStatus);
            });
            return held;
        }

        public void Finish() => _finish.SetResult();

        public ValueTask DisposeAsync() => Worker.DisposeAsync();
    }
}
