using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Scheduling;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// What a launched instance that fails leaves to the invocations waiting for an instance: the one it ran fails, the ones
/// that never reached it go to its replacement. The "instance" is a process that never polls; the test polls its address
/// in its place, as its SDK would.
/// </summary>
public sealed class LaunchedInstanceFailureTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task InvocationsQueuedBehindOneThatFails_RunOnTheReplacement(bool processExits)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/sleep")
            .Set("Gateway:Functions:echo:Arguments:0", "600")
            .Set("Gateway:Functions:echo:Timeout", "00:00:03")
            .Set("Gateway:Functions:echo:QueueTimeout", "00:10:00")
            .Set("Gateway:Functions:echo:MaxInstances", "1"), time);
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name);
        var failing = gateway.Client.GetAsync("/echo/failing");
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var instance = gateway.Pool().Instances[0];
        using (var sdk = Sdk(gateway, instance))
        {
            using var taken = await sdk.GetAsync("next").WaitAsync(Bound);
        }

        var queued = Enumerable.Range(0, 4).Select(i => gateway.Client.GetAsync($"/echo/queued-{i}")).ToList();
        await Eventually.HoldsAsync(() => queue.Queued == 4, Bound);
        if (processExits)
        {
            using var process = Process.GetProcessById(instance.Process.Id);
            process.Kill();
        }
        else
        {
            time.Advance(TimeSpan.FromSeconds(4));
        }

        Assert.NotEqual(HttpStatusCode.OK, (await failing.WaitAsync(Bound)).StatusCode);
        await Eventually.HoldsAsync(() => gateway.Pool().Instances is [var next] && next != instance, Bound);
        using (var sdk = Sdk(gateway, gateway.Pool().Instances[0]))
        {
            foreach (var _ in queued)
            {
                using var next = await sdk.GetAsync("next").WaitAsync(Bound);
                await sdk.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("""{"statusCode":200,"body":"ran"}"""));
            }
        }

        foreach (var response in queued)
        {
            Assert.Equal("ran", await (await response.WaitAsync(Bound)).Content.ReadAsStringAsync());
        }

        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("before the invocation reached it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInvocationPostedToAnInstanceThatExitsBeforeTakingIt_RunsOnTheReplacement()
    {
        // aws-lambda-go reports a panic to /error and exits before it polls again: the invocation given the slot that
        // reply freed was posted to the instance's address, and never reached the process.
        await using var gateway = await StartWithOneInstanceAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var answered = gateway.Client.GetAsync("/echo/answered");
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var instance = gateway.Pool().Instances[0];
        using (var sdk = Sdk(gateway, instance))
        {
            using var next = await sdk.GetAsync("next").WaitAsync(Bound);
            await sdk.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/error", new StringContent("""{"errorMessage":"boom"}"""));
        }

        await answered.WaitAsync(Bound);
        var posted = gateway.Client.GetAsync("/echo/posted");
        await Eventually.HoldsAsync(() => instance.Mailbox.QueuedInvocations == 1, Bound);
        using (var process = Process.GetProcessById(instance.Process.Id))
        {
            process.Kill();
        }

        await Eventually.HoldsAsync(() => gateway.Pool().Instances is [var next] && next != instance, Bound);
        using (var sdk = Sdk(gateway, gateway.Pool().Instances[0]))
        {
            using var next = await sdk.GetAsync("next").WaitAsync(Bound);
            await sdk.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("""{"statusCode":200,"body":"ran"}"""));
        }

        Assert.Equal("ran", await (await posted.WaitAsync(Bound)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AReplacementThatNeverPolls_FailsTheWaitingInvocation502_WhenItsInitializationTimeoutEndsWithTheQueueTimeout()
    {
        // The invocation queues before the replacement starts, at the same moment of the clock: with both timeouts at
        // their default of 30 s, its queue timeout ends first, with the replacement's initialization timeout.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await StartWithOneInstanceAsync(time);
        var (waiting, _) = await QueueBehindAnInstanceThatDiesAsync(gateway);

        time.Advance(TimeSpan.FromSeconds(30));

        var response = await waiting.WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("UnhandledInvocationError", response.Headers.GetValues("X-Fc-Error-Type").Single());
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("InitializationError", error.GetProperty("errorType").GetString());
        Assert.Contains("within its InitializationTimeout of 00:00:30", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AQueueTimeoutThatEndsWhileTheReplacementStarts_WaitsForIt_AndTheReplacementServesTheInvocation()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await StartWithOneInstanceAsync(time, c => c.Set("Gateway:Functions:echo:QueueTimeout", "00:00:10"));
        var (waiting, replacement) = await QueueBehindAnInstanceThatDiesAsync(gateway);

        time.Advance(TimeSpan.FromSeconds(11));
        using var sdk = Sdk(gateway, replacement);
        using (var next = await sdk.GetAsync("next").WaitAsync(Bound))
        {
            await sdk.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("ran"));
        }

        var response = await waiting.WaitAsync(Bound);
        Assert.Equal("ran", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnInstanceKeptForMinInstancesThatKeepsExitingAfterItPolled_IsRestartedAfterAGrowingDelay_NotInATightLoop()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/sleep")
            .Set("Gateway:Functions:echo:Arguments:0", "600")
            .Set("Gateway:Functions:echo:MinInstances", "1"), time);

        // The first exit is replaced at once; the second, as soon after its start, waits a second.
        var first = await PollThenDieAsync(gateway, previous: null);
        await PollThenDieAsync(gateway, first);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("keep exiting soon after they start; the next one kept for MinInstances starts in 00:00:01"), Bound);
        Assert.Empty(gateway.Pool().Instances);

        time.Advance(RestartBackoff.FirstDelay);

        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
    }

    /// <summary>
    /// An instance kept for MinInstances that exits before it polls (a program that cannot start: a missing dependency, a
    /// bad setting) is restarted as one that exits soon after polling is, less and less often, so the function is neither
    /// left below its MinInstances for good nor restarted in a tight loop.
    /// </summary>
    [Fact]
    public async Task AnInstanceKeptForMinInstancesThatExitsBeforePolling_IsRestartedAfterAGrowingDelay()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await StartUntilTheFirstDelayedRestartAsync(time);
        Assert.Equal(2, Started(gateway));

        time.Advance(RestartBackoff.FirstDelay);

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("the next one kept for MinInstances starts in 00:00:02"), Bound);
        Assert.Equal(3, Started(gateway));
    }

    /// <summary>A reload (or the start-up) that tops up MinInstances while a restart waits out its delay leaves that to the restart.</summary>
    [Fact]
    public async Task ToppingUpMinInstances_WhileARestartWaitsOutItsDelay_StartsNothingBeforeTheDelayEnds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await StartUntilTheFirstDelayedRestartAsync(time);

        gateway.Pool().StartMinimum();
        Assert.Equal(2, Started(gateway));

        time.Advance(RestartBackoff.FirstDelay);
        await Eventually.HoldsAsync(() => Started(gateway) == 3, Bound);
    }

    [Fact]
    public async Task InstancesStartedForDemandThatKeepExiting_AreNotDelayedOrReportedAsKeptForMinInstances()
    {
        await using var gateway = await StartWithOneInstanceAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));

        LaunchedInstance? previous = null;
        for (var call = 0; call < 2; call++)
        {
            var request = gateway.Client.GetAsync($"/echo/call-{call}");
            previous = await PollThenDieAsync(gateway, previous);
            using var response = await request.WaitAsync(Bound);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.False(gateway.Logs.Contains("keep exiting soon after they start"));
    }

    /// <summary>
    /// On-demand starts of a function whose program exits before it polls (<c>/bin/false</c>): the second failure in a row
    /// holds starts back, during which an invocation fails at once, with no process started for it, until the hold ends.
    /// </summary>
    [Fact]
    public async Task InstancesStartedForDemandThatKeepFailingToStart_AreHeldBack_AndInvocationsMeanwhileFailAtOnce()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await StartUntilStartsAreHeldAsync(time);

        var startedBeforeTheHold = Started(gateway);
        using var duringTheHold = await gateway.Client.GetAsync("/echo/held").WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.BadGateway, duringTheHold.StatusCode);
        Assert.Equal(startedBeforeTheHold, Started(gateway));

        time.Advance(FailedStartHold.LongestHold);
        using var afterTheHold = await gateway.Client.GetAsync("/echo/after").WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.BadGateway, afterTheHold.StatusCode);
        Assert.Equal(startedBeforeTheHold + 1, Started(gateway));
    }

    /// <summary>
    /// A program that cannot be run (made non-executable once the gateway has started) is tried once per invocation, not
    /// once as it arrives and again as it waits: the first failure holds nothing, the second holds starts for a second,
    /// during which an invocation starts none, and the first after it starts one again.
    /// </summary>
    [Fact]
    public async Task AProgramThatCannotBeRun_IsTriedOncePerInvocation_AndHeldAfterTheSecond()
    {
        if (OperatingSystem.IsWindows())
        {
            // The program is made non-executable by its Unix file mode, which Windows does not have.
            return;
        }

        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var folder = Directory.CreateTempSubdirectory("gateway-command-");
        try
        {
            var program = Path.Join(folder.FullName, "function");
            await File.WriteAllTextAsync(program, "#!/bin/sh\nexec sleep 600\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await using var gateway = await PullFunction.StartAsync(c => c
                .Set("Gateway:Functions:echo:Command", program)
                .Set("Gateway:Functions:echo:QueueTimeout", "00:10:00"), time);
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            Assert.Equal([1, 1, 0, 1], await CountedPerFailedCallAsync(gateway, time, FailedStarts));
            Assert.Equal(0, Started(gateway));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A program that exits before it polls (<c>/bin/false</c>) is started once per invocation however soon its exit is
    /// handled: the start is made once its invocation waits, so that the exit fails that invocation rather than leaving
    /// it to start another as it queues. The first failure holds nothing, the second holds starts for a second, during
    /// which an invocation starts none, and the first after it starts one again.
    /// </summary>
    [Fact]
    public async Task AProgramThatExitsBeforePolling_IsStartedOncePerInvocation_WhichWaitsBeforeTheStart()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var queuedAtStarts = new QueuedAtStarts();
        await using var gateway = await PullFunction.StartAsync(
            c => c.Set("Gateway:Functions:echo:Command", "/bin/false").Set("Gateway:Functions:echo:QueueTimeout", "00:10:00"), time, queuedAtStarts);
        queuedAtStarts.Queue = gateway.Queue();

        Assert.Equal([1, 1, 0, 1], await CountedPerFailedCallAsync(gateway, time, Started));
        Assert.Equal([1, 1, 1], queuedAtStarts.Counts);
    }

    /// <summary>
    /// Four invocations that each fail 502 (the first, the second whose failure holds starts, one during the hold, one
    /// after it), and by how much <paramref name="count"/> grew with each.
    /// </summary>
    private static async Task<List<int>> CountedPerFailedCallAsync(TestGateway gateway, FakeTimeProvider time, Func<TestGateway, int> count)
    {
        List<int> counts = [];
        foreach (var call in new[] { "first", "second", "held", "after" })
        {
            if (call == "after")
            {
                time.Advance(FailedStartHold.FirstHold);
            }

            var before = count(gateway);
            using var response = await gateway.Client.GetAsync($"/echo/{call}").WaitAsync(Bound);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            counts.Add(count(gateway) - before);
        }

        return counts;
    }

    /// <summary>
    /// Invocations queued behind a busy instance when starts come to be held get the instance they need once the hold ends,
    /// with no further arrival to start it.
    /// </summary>
    [Fact]
    public async Task InvocationsWaitingBehindABusyInstance_WhileStartsAreHeld_GetANewInstanceWhenTheHoldEnds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var function = await BusyInstanceWithFailingStarts.StartAsync(time);
        var gateway = function.Gateway;
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name);

        // The start for the second fails, and so does the one made again for it at once: starts are held.
        var second = gateway.Client.GetAsync("/echo/second");
        await Eventually.HoldsAsync(() => Started(gateway) == 3 && gateway.Pool().Instances.Count == 1, Bound);
        var third = gateway.Client.GetAsync("/echo/third");
        await Eventually.HoldsAsync(() => queue.Queued == 2, Bound);
        var startedBeforeTheHoldEnds = Started(gateway);

        await function.LetStartsSucceedAsync();
        time.Advance(FailedStartHold.LongestHold);

        await Eventually.HoldsAsync(() => Started(gateway) > startedBeforeTheHoldEnds, Bound);
        Assert.False(second.IsCompleted || third.IsCompleted);
    }

    /// <summary>
    /// An invocation queued behind a busy instance, whose start fails once (no hold yet), gets another start at once: no
    /// arrival may come to start it, and it would wait out its QueueTimeout behind the busy one.
    /// </summary>
    [Fact]
    public async Task AnInvocationWaitingBehindABusyInstance_WhoseStartFailsOnce_GetsAnotherStartAtOnce()
    {
        await using var function = await BusyInstanceWithFailingStarts.StartAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var gateway = function.Gateway;

        var waiting = gateway.Client.GetAsync("/echo/waiting");

        // The failed start is retired (and another started) where the exit is seen or the instance's start is watched,
        // whichever comes first: the exit's log line may come before the third start.
        await Eventually.HoldsAsync(() => Started(gateway) == 3, Bound);
        Assert.False(waiting.IsCompleted);
    }

    [Fact]
    public async Task AReload_EndsTheHoldOnStarts()
    {
        await using var gateway = await StartUntilStartsAreHeldAsync(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var startedBeforeTheReload = Started(gateway);

        gateway.Services.GetRequiredService<LaunchedInstancePools>().ConfigurationApplied([]);
        using var afterTheReload = await gateway.Client.GetAsync("/echo/after").WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.BadGateway, afterTheReload.StatusCode);
        Assert.Equal(startedBeforeTheReload + 1, Started(gateway));
    }

    [Fact]
    public async Task ALambdaInvocationRetriedAfterItsInstanceExitedWithoutTakingIt_IsFramedOnlyByTheInstanceThatRanIt()
    {
        await using var gateway = await StartWithOneInstanceAsync(
            new FakeTimeProvider(DateTimeOffset.UtcNow), c => c.Set("Gateway:Functions:echo:RuntimeApi", "lambda"));
        var first = gateway.Client.GetAsync("/echo/first");
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var exiting = gateway.Pool().Instances[0];
        await RunOneLambdaInvocationAsync(exiting);
        Assert.Equal(HttpStatusCode.OK, (await first.WaitAsync(Bound)).StatusCode);

        // Posted to the instance, idle between polls, which exits before it polls again: its replacement runs it.
        var second = gateway.Client.GetAsync("/echo/second");
        await Eventually.HoldsAsync(() => exiting.Mailbox.QueuedInvocations == 1, Bound);
        using (var process = Process.GetProcessById(exiting.Process.Id))
        {
            process.Kill();
        }

        await Eventually.HoldsAsync(() => gateway.Pool().Instances is [var next] && next != exiting, Bound);
        await RunOneLambdaInvocationAsync(gateway.Pool().Instances[0]);
        using var response = await second.WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = response.Headers.GetValues("X-Fc-Request-Id").Single();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"platform: END RequestId: {id}"), Bound);
        Assert.Single(gateway.Logs.Lines, line => line.Contains($"platform: START RequestId: {id}", StringComparison.Ordinal));
    }

    /// <summary>
    /// A function kept at one instance whose program exits at once (<c>/bin/false</c>), once its second instance has exited:
    /// the first exit is replaced at once; the second, as soon after its start, waits a second.
    /// </summary>
    private static async Task<TestGateway> StartUntilTheFirstDelayedRestartAsync(FakeTimeProvider time)
    {
        var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/false")
            .Set("Gateway:Functions:echo:MinInstances", "1"), time);
        try
        {
            await Eventually.HoldsAsync(() => gateway.Logs.Contains("the next one kept for MinInstances starts in 00:00:01"), Bound);
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>A function whose program exits at once (<c>/bin/false</c>), invoked until its starts are held back.</summary>
    private static async Task<TestGateway> StartUntilStartsAreHeldAsync(FakeTimeProvider time)
    {
        const string held = "instances started for echo failed to start, so none is started for another";
        var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Command", "/bin/false"), time);
        try
        {
            for (var call = 1; !gateway.Logs.Contains(held); call++)
            {
                Assert.True(call <= 3, "Starts were not held after two failures in a row.");
                using var failed = await gateway.Client.GetAsync($"/echo/start-{call}").WaitAsync(Bound);
                Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
            }

            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>How many instances the gateway has started.</summary>
    private static int Started(TestGateway gateway) => gateway.Logs.Lines.Count(line => line.Contains("Started instance", StringComparison.Ordinal));

    /// <summary>How many starts failed because the program could not be run.</summary>
    private static int FailedStarts(TestGateway gateway) => gateway.Logs.Lines.Count(line => line.Contains("an instance could not be started", StringComparison.Ordinal));

    /// <summary>Takes the next invocation at a launched Lambda instance's own address, as its runtime client would, and answers it.</summary>
    private static async Task RunOneLambdaInvocationAsync(LaunchedInstance instance)
    {
        using var runtime = new HttpClient { BaseAddress = new Uri($"http://{instance.OwnAddress!.Authority}/2018-06-01/runtime/invocation/") };
        using var next = await runtime.GetAsync("next").WaitAsync(Bound);
        var id = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
        using var reply = await runtime.PostAsync($"{id}/response", new StringContent("""{"statusCode":200,"body":"ran"}""")).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
    }

    /// <summary>Has the next instance poll, which makes it ready, then kills its process.</summary>
    private static async Task<LaunchedInstance> PollThenDieAsync(TestGateway gateway, LaunchedInstance? previous)
    {
        await Eventually.HoldsAsync(() => gateway.Pool().Instances is [var next] && next != previous, Bound);
        var instance = gateway.Pool().Instances[0];
        Task<HttpResponseMessage> poll;
        using (var sdk = Sdk(gateway, instance))
        {
            poll = sdk.GetAsync("next");
            await Eventually.HoldsAsync(() => gateway.Pool().Ready.Count == 1, Bound);
            using (var process = Process.GetProcessById(instance.Process.Id))
            {
                process.Kill();
            }

            await instance.Process.Exited.WaitAsync(Bound);
        }

        // Disposing the client ended the poll, if the gateway had not answered it.
        await Task.WhenAny(poll);
        return instance;
    }

    private static Task<TestGateway> StartWithOneInstanceAsync(FakeTimeProvider time, Action<GatewayConfiguration>? configure = null) =>
        PullFunction.StartAsync(c =>
        {
            c.Set("Gateway:Functions:echo:Command", "/bin/sleep")
                .Set("Gateway:Functions:echo:Arguments:0", "600")
                .Set("Gateway:Functions:echo:Timeout", "00:10:00")
                .Set("Gateway:Functions:echo:MaxInstances", "1");
            configure?.Invoke(c);
        }, time);

    /// <summary>
    /// Has the only instance take an invocation, queues another through the invocation API, and kills the instance: its
    /// replacement starts after the invocation queued, at the same moment of the clock.
    /// </summary>
    private static async Task<(Task<HttpResponseMessage> Waiting, LaunchedInstance Replacement)> QueueBehindAnInstanceThatDiesAsync(TestGateway gateway)
    {
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name);
        var running = gateway.Client.GetAsync("/echo/running");
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var instance = gateway.Pool().Instances[0];
        using (var sdk = Sdk(gateway, instance))
        {
            using var taken = await sdk.GetAsync("next").WaitAsync(Bound);
        }

        var waiting = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));
        await Eventually.HoldsAsync(() => queue.Queued == 1, Bound);
        using (var process = Process.GetProcessById(instance.Process.Id))
        {
            process.Kill();
        }

        await running.WaitAsync(Bound);
        await Eventually.HoldsAsync(() => gateway.Pool().Instances is [var next] && next != instance, Bound);
        return (waiting, gateway.Pool().Instances[0]);
    }

    private static HttpClient Sdk(TestGateway gateway, LaunchedInstance instance) =>
        new() { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/instances/{instance.Id}/2020-11-11/runtime/invocation/") };

    /// <summary>How many invocations waited in the queue at each start of an instance, read as the start is logged.</summary>
    private sealed class QueuedAtStarts : ILoggerProvider
    {
        private readonly ConcurrentQueue<int> _counts = new();

        /// <summary>The queue to read: set once the gateway runs, before any start.</summary>
        public FunctionInstanceQueue? Queue { get; set; }

        public IReadOnlyCollection<int> Counts => _counts;

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(QueuedAtStarts owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (owner.Queue is { } queue && formatter(state, exception).StartsWith("Started instance", StringComparison.Ordinal))
                {
                    owner._counts.Enqueue(queue.Queued);
                }
            }
        }
    }

    /// <summary>
    /// A launched function with one instance busy with an invocation it took, whose further starts fail (exit 1): the
    /// function starts only while a flag file exists, and the flag is deleted once the busy instance is past its look at it.
    /// </summary>
    private sealed class BusyInstanceWithFailingStarts : IAsyncDisposable
    {
        private readonly string _flag;
        private HttpClient? _sdk;
        private HttpResponseMessage? _taken;

        private BusyInstanceWithFailingStarts(string flag, TestGateway gateway)
        {
            _flag = flag;
            Gateway = gateway;
        }

        public TestGateway Gateway { get; }

        public static async Task<BusyInstanceWithFailingStarts> StartAsync(FakeTimeProvider time)
        {
            var flag = Path.Combine(Path.GetTempPath(), $"fc-gateway-starts-{Guid.NewGuid():N}");
            await File.WriteAllTextAsync(flag, "");
            var function = new BusyInstanceWithFailingStarts(flag, await PullFunction.StartAsync(c => c
                .Set("Gateway:Functions:echo:Command", "/bin/sh")
                .Set("Gateway:Functions:echo:Arguments:0", "-c")
                .Set("Gateway:Functions:echo:Arguments:1", $"[ -e {flag} ] || exit 1; exec sleep 600")
                .Set("Gateway:Functions:echo:Timeout", "00:10:00")
                .Set("Gateway:Functions:echo:QueueTimeout", "00:10:00")
                .Set("Gateway:Functions:echo:MaxInstances", "4"), time));
            try
            {
                _ = function.Gateway.Client.GetAsync("/echo/running");
                await Eventually.HoldsAsync(() => function.Gateway.Pool().Instances.Count == 1, Bound);
                var busy = function.Gateway.Pool().Instances[0];
                function._sdk = Sdk(function.Gateway, busy);
                function._taken = await function._sdk.GetAsync("next").WaitAsync(Bound);

                // Past its look at the flag once the shell has become sleep.
                await Eventually.HoldsAsync(() => File.ReadAllText($"/proc/{busy.Process.Id}/comm").Trim() == "sleep", Bound);
                File.Delete(flag);
                return function;
            }
            catch
            {
                await function.DisposeAsync();
                throw;
            }
        }

        public Task LetStartsSucceedAsync() => File.WriteAllTextAsync(_flag, "");

        public async ValueTask DisposeAsync()
        {
            _taken?.Dispose();
            _sdk?.Dispose();
            await Gateway.DisposeAsync();
            File.Delete(_flag);
        }
    }
}
