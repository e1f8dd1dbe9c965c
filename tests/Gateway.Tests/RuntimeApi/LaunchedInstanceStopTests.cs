using System.Net;
using FcGateway.Configuration;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Scheduling;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// A launched instance the gateway stops (idle) whose process ignores SIGTERM runs until it is killed after its
/// <c>StopTimeout</c>: until then it counts towards <c>MaxInstances</c>, which bounds the function's processes.
/// </summary>
public sealed class LaunchedInstanceStopTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AnIdleInstanceThatIgnoresSigterm_CountsTowardsMaxInstances_UntilItsProcessHasExited()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await StartIgnoringSigtermAsync(time);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.PostAsync("/echo/", new StringContent("first")).WaitAsync(Bound)).StatusCode);
        var idle = gateway.Pool().InstanceAt(Assert.Single(gateway.Pool().Ready))!;

        time.Advance(TimeSpan.FromMinutes(2));
        await Eventually.HoldsAsync(() => idle.Process.StopRequested, Bound);
        var response = await gateway.Client.PostAsync("/echo/", new StringContent("second")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(idle.Process.Exited.IsCompleted, "a second process started while the one being stopped still ran");
        Assert.NotEqual(idle.Id, Assert.Single(gateway.Pool().Ready).DestinationId);
    }

    /// <summary>
    /// An instance being stopped holds its place under <c>MaxInstances</c>, and the place comes back once its process has
    /// exited: an invocation arriving meanwhile waits for the instance started then, a cold start to come, which is no
    /// queueing — a function without a queue (<c>MaxQueueLength</c> 0) does not refuse it 429.
    /// </summary>
    [Fact]
    public async Task AnInvocationArrivingWhileTheOnlyInstanceIsStopping_WithNoQueue_IsServedByTheNextOne()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await StartIgnoringSigtermAsync(time, c => c.Set("Gateway:Functions:echo:MaxQueueLength", "0"));
        var (stopping, second) = await QueueBehindTheIdleStopAsync(gateway, time);
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.OK, (await second.WaitAsync(Bound)).StatusCode);
        Assert.True(stopping.Process.Exited.IsCompleted);
    }

    /// <summary>
    /// An invocation that arrives once the only instance's SIGTERM is sent waits for its process to exit and for the
    /// instance started in its place, as it would for a cold start: that process ignores SIGTERM until it is killed after
    /// its <c>StopTimeout</c> (5 s), and the wait outlasts the <c>QueueTimeout</c> (3 s), bounded by the stop's bounds and
    /// the start's. Before, the queue timeout answered 429 while the capacity was on its way.
    /// </summary>
    [Fact]
    public async Task AnInvocationWaitingForAStoppingInstanceToMakeRoom_BeyondItsQueueTimeout_IsServedByTheNextOne()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await StartIgnoringSigtermAsync(time, c => c.Set("Gateway:Functions:echo:QueueTimeout", "00:00:03"));
        var (stopping, second) = await QueueBehindTheIdleStopAsync(gateway, time);
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.False(stopping.Process.Exited.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        var response = await second.WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("second", await response.Content.ReadAsStringAsync());
        Assert.True(stopping.Process.Exited.IsCompleted);
        Assert.NotEqual(stopping.Id, Assert.Single(gateway.Pool().Ready).DestinationId);
    }

    /// <summary>
    /// The wait for a stopping instance to make room is bounded by the stop's bounds and the start's: here the process
    /// ignores SIGTERM until it is killed after its <c>StopTimeout</c>, and the one started in its place never polls, so the
    /// invocation is told so once that start's <c>InitializationTimeout</c> has passed (502), neither refused 429 first nor
    /// left waiting.
    /// </summary>
    [Fact]
    public async Task AWaitForAStoppingInstanceToMakeRoom_WhoseNextStartNeverPolls_EndsAtThatStartsInitializationTimeout()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"stopwait-{Guid.NewGuid():N}");
        try
        {
            var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
            await using var gateway = await StartIgnoringSigtermAsync(time, c => c
                .Set("Gateway:Functions:echo:QueueTimeout", "00:00:03")
                .Set("Gateway:Functions:echo:InitializationTimeout", "00:00:10")
                .Set("Gateway:Functions:echo:Arguments:1", $"trap '' TERM; if [ -e '{marker}' ]; then exec sleep 600; fi; : > '{marker}'; \"$0\" \"$@\" & wait"));
            var (stopping, second) = await QueueBehindTheIdleStopAsync(gateway, time);
            time.Advance(TimeSpan.FromSeconds(3));
            time.Advance(TimeSpan.FromSeconds(2));
            await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
            Assert.False(second.IsCompleted);
            time.Advance(TimeSpan.FromSeconds(10));

            Assert.Equal(HttpStatusCode.BadGateway, (await second.WaitAsync(Bound)).StatusCode);
            Assert.True(stopping.Process.Exited.IsCompleted);
        }
        finally
        {
            File.Delete(marker);
        }
    }

    /// <summary>
    /// The idle check takes an idle instance out of service and logs that it stops it before its stop begins: an
    /// invocation that comes in between (held here at the log line) takes it back into service. Before, it waited for
    /// that process to exit (here it ignores SIGTERM for its <c>StopTimeout</c> of 5 s) and another to start, and a
    /// <c>QueueTimeout</c> shorter than that (3 s) answered 429. Nor does a second process start beside it.
    /// </summary>
    [Fact]
    public async Task AnInvocationArrivingAsAnIdleInstanceIsRetired_TakesItBackIntoService()
    {
        var queueTimeout = TimeSpan.FromSeconds(3);
        var time = new WatchedTimeProvider();
        using var logs = new LogsHeldAt("was idle for");
        await using var gateway = await StartIgnoringSigtermAsync(time, c => c.Set("Gateway:Functions:echo:QueueTimeout", "00:00:03"), logs);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.PostAsync("/echo/", new StringContent("first")).WaitAsync(Bound)).StatusCode);
        var idle = gateway.Pool().InstanceAt(Assert.Single(gateway.Pool().Ready))!;

        var idleCheck = Task.Run(() => time.Advance(TimeSpan.FromMinutes(2)));
        await logs.Held.WaitAsync(Bound);
        var queued = time.NextTimerSet(queueTimeout);
        var second = gateway.Client.PostAsync("/echo/", new StringContent("second"));
        await Task.WhenAny(second, queued).WaitAsync(Bound);
        logs.Release();
        await idleCheck.WaitAsync(Bound);
        time.Advance(queueTimeout);

        var response = await second.WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("second", await response.Content.ReadAsStringAsync());
        Assert.Same(idle, Assert.Single(gateway.Pool().Instances));
        Assert.False(idle.Process.StopRequested);
        Assert.Contains(gateway.Logs.Lines, line => line.Contains($"instance {idle.Id}, idle, takes invocations again", StringComparison.Ordinal));
    }

    /// <summary>
    /// The queue grants instances without the pool's lock: an invocation may take an idle instance after the idle check has
    /// seen it run nothing and before the check retires it, and runs on it. One that needs an instance while that one still
    /// runs takes it back into service all the same, and is served by it once the first has ended. Before, it was not
    /// taken back, being busy: its stop went on at the next check, and the invocation waited for its process to exit and
    /// another to start (here it waited on, the clock still).
    /// </summary>
    [Fact]
    public async Task AnInvocationArrivingWhileARetiredIdleInstanceRunsOneThatRacedOntoIt_TakesItBackIntoService()
    {
        var (gateway, idle, sdk, raced) = await RaceOntoTheIdleCheckAsync(maxInstances: 1);
        await using var _ = gateway;
        using var __ = sdk;

        var second = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => gateway.Queue().Queued == 1, Bound);
        raced.Dispose();

        Assert.Equal("second", await AnswerNextAsync(sdk, second));
        Assert.Same(idle, Assert.Single(gateway.Pool().Instances));
        Assert.False(idle.Process.StopRequested);
        Assert.Contains(gateway.Logs.Lines, line => line.Contains($"instance {idle.Id}, idle, takes invocations again", StringComparison.Ordinal));
    }

    /// <summary>
    /// An idle instance taken back while it still runs the invocation that raced onto it has no room for another here (an
    /// <c>InstanceConcurrency</c> of 1): as beside any full instance, one more starts for the invocation that needs one,
    /// within <c>MaxInstances</c>, rather than leave it waiting for the first to end.
    /// </summary>
    [Fact]
    public async Task ARetiredIdleInstanceTakenBackFull_AnotherStartsBesideIt()
    {
        var (gateway, idle, sdk, raced) = await RaceOntoTheIdleCheckAsync(maxInstances: 2);
        await using var _ = gateway;
        using var __ = sdk;

        var second = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 2, Bound);
        Assert.Contains(idle, gateway.Pool().Instances);
        raced.Dispose();

        Assert.Equal("second", await AnswerNextAsync(sdk, second));
    }

    /// <summary>
    /// An idle instance taken back while it still runs the invocation that raced onto it has room for another here (an
    /// <c>InstanceConcurrency</c> of 2): the invocation that needed an instance runs on it beside the first, and none
    /// starts, though <c>MaxInstances</c> would allow one (the pool looks again after the take-back, and the queue is no
    /// longer saturated).
    /// </summary>
    [Fact]
    public async Task ARetiredIdleInstanceTakenBackWithRoom_ServesTheNextBesideTheRacedOne_AndNoOtherStarts()
    {
        var (gateway, idle, sdk, raced) = await RaceOntoTheIdleCheckAsync(maxInstances: 2, instanceConcurrency: 2);
        await using var _ = gateway;
        using var __ = sdk;

        var second = gateway.Client.GetAsync("/echo/");

        Assert.Equal("second", await AnswerNextAsync(sdk, second));
        Assert.Same(idle, Assert.Single(gateway.Pool().Instances));
        Assert.Equal(1, gateway.Queue().RunningOnInstance(idle.Destination));
        raced.Dispose();
    }

    /// <summary>
    /// Two idle instances retired while each runs an invocation that raced onto it, and two invocations queued: the one
    /// call that looks for instances for both (as after a reload, once starts resume, as an instance exits) takes back the
    /// first, then, that one having no room, the second, before it would start one (<c>MaxInstances</c> leaves room for
    /// none here); each serves a queued invocation once its raced one ends. Before, it took back the first only, and the
    /// second was stopped at the next check while an invocation waited for another to start in its place.
    /// </summary>
    [Fact]
    public async Task OneLookForSeveralQueuedInvocations_TakesBackEveryIdleInstanceTheyNeed()
    {
        var time = new HookedTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/sleep")
            .Set("Gateway:Functions:echo:Arguments:0", "600")
            .Set("Gateway:Functions:echo:IdleTimeout", "00:01:00")
            .Set("Gateway:Functions:echo:MaxInstances", "2"), time);
        await RunOneOnEachOfTwoInstancesAsync(gateway);
        var (pool, queue, idle) = (gateway.Pool(), gateway.Queue(), gateway.Pool().Instances);
        List<InstanceLease> raced = [];
        time.Advance(TimeSpan.FromSeconds(59));

        // The idle check reads the clock once for each instance, in the order the pool lists them.
        time.OnNextTimestamp(() =>
        {
            raced.Add(queue.TryAcquire(pool.Cluster, [idle[0].Destination], 1, 100, picker: null).Lease!);
            time.OnNextTimestamp(() => raced.Add(queue.TryAcquire(pool.Cluster, [idle[1].Destination], 1, 100, picker: null).Lease!));
        });
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, raced.Count);
        Assert.Empty(pool.Ready);
        var waiters = Enumerable.Range(0, 2).Select(_ => queue.TryAcquire(pool.Cluster, pool.Ready, 1, 100, picker: null, anyInstance: RuntimeApiMailbox.IsInstance).Waiter!).ToList();

        pool.GrowIfSaturated(gateway.Services.GetRequiredService<GatewaySettingsMonitor>().Current.GetFunction(PullFunction.Name));

        Assert.Equal(idle.Select(instance => instance.Id).Order(), pool.Instances.Select(instance => instance.Id).Order());
        raced.ForEach(lease => lease.Dispose());
        var granted = await Task.WhenAll(waiters.Select(waiter => waiter.Granted)).WaitAsync(Bound);
        Assert.Equal(idle.Select(instance => instance.Destination).ToHashSet(), granted.ToHashSet());
    }

    /// <summary>
    /// Once the pre-stop of an idle instance is sent, its stop has begun: an invocation arriving then is not given it
    /// back, but waits for its process to exit and is served by the instance started in its place.
    /// </summary>
    [Fact]
    public async Task AnInvocationArrivingAfterAnIdleInstancesPreStopWasSent_IsServedByTheNextOne()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (gateway, idle, sdk) = await LaunchedInstanceTests.StartWithOneInstanceThatRanAsync(time, c => c
            .Set("Gateway:Functions:echo:PreStop", "true")
            .Set("Gateway:Functions:echo:MaxInstances", "1"));
        await using var _ = gateway;
        using var __ = sdk;
        var preStop = sdk.GetAsync("next");
        await Eventually.HoldsAsync(() => idle.Mailbox.WaitingPolls == 1, Bound);
        time.Advance(TimeSpan.FromMinutes(2));
        using var preStopInvocation = await preStop.WaitAsync(Bound);

        var second = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name).Queued == 1, Bound);
        Assert.Empty(gateway.Pool().Instances);
        await sdk.PostAsync($"{preStopInvocation.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent(""));
        await idle.Process.Exited.WaitAsync(Bound);
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var next = gateway.Pool().Instances[0];
        using var nextSdk = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/instances/{next.Id}/2020-11-11/runtime/invocation/") };
        using (var invoke = await nextSdk.GetAsync("next").WaitAsync(Bound))
        {
            await nextSdk.PostAsync($"{invoke.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("""{"statusCode":200,"body":"next"}"""));
        }

        Assert.Equal("2", preStopInvocation.Headers.GetValues("x-fc-function-type").Single());
        Assert.Equal("next", await (await second.WaitAsync(Bound)).Content.ReadAsStringAsync());
        Assert.NotEqual(idle.Id, next.Id);
    }

    /// <summary>
    /// The workaround docs/gateway.md gives for Ctrl+C reaching launched instances before the drain: started through
    /// <c>setsid</c>, an instance runs in a process group of its own (a SIGINT to the gateway's group misses it), and the
    /// process the gateway watches and stops is the program itself, which <c>setsid</c> became.
    /// </summary>
    [Fact]
    public async Task AnInstanceStartedThroughSetsid_RunsInAGroupOfItsOwn_AndIsStillTheProcessTheGatewayStops()
    {
        var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "setsid")
            .Set("Gateway:Functions:echo:Arguments:0", PullFunction.Dotnet)
            .Set("Gateway:Functions:echo:Arguments:1", Path.Combine(AppContext.BaseDirectory, "Samples.dll"))
            .Set("Gateway:Functions:echo:Arguments:2", "http-echo"));
        await using var _ = gateway;
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.PostAsync("/echo/", new StringContent("x")).WaitAsync(Bound)).StatusCode);
        var instance = gateway.Pool().InstanceAt(Assert.Single(gateway.Pool().Ready))!;

        var group = ProcessGroupOf(instance.Process.Id);
        await gateway.StopAsync().WaitAsync(Bound);

        Assert.Equal(instance.Process.Id, group);
        Assert.NotEqual(ProcessGroupOf(Environment.ProcessId), group);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Killing instance", StringComparison.Ordinal));
        Assert.True(instance.Process.Exited.IsCompleted);
    }

    /// <summary>Holds the thread that logs a line containing a text (once) until the test releases it.</summary>
    private sealed class LogsHeldAt(string text) : ILoggerProvider
    {
        private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ManualResetEventSlim _released = new();
        private readonly string _text = text;

        /// <summary>Completes once a thread is held at the line.</summary>
        public Task Held => _held.Task;

        public void Release() => _released.Set();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
            _released.Set();
            _released.Dispose();
        }

        private sealed class Logger(LogsHeldAt owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (formatter(state, exception).Contains(owner._text, StringComparison.Ordinal) && owner._held.TrySetResult())
                {
                    owner._released.Wait(Bound);
                }
            }
        }
    }

    /// <summary>
    /// One instance (polled by the test, through the client returned) that ran an invocation, idle a minute later, and an
    /// invocation that the queue grants it as the idle check retires it (as the check reads the clock for its idle time):
    /// the instance, retired, runs that one, whose lease is returned. The function runs up to <paramref name="maxInstances"/>
    /// instances of <paramref name="instanceConcurrency"/> invocations each.
    /// </summary>
    private static async Task<(TestGateway Gateway, LaunchedInstance Idle, HttpClient Sdk, InstanceLease Raced)> RaceOntoTheIdleCheckAsync(
        int maxInstances, int instanceConcurrency = 1)
    {
        var time = new HookedTimeProvider(DateTimeOffset.UtcNow);
        var (gateway, idle, sdk) = await LaunchedInstanceTests.StartWithOneInstanceThatRanAsync(
            time, c => c.Set("Gateway:Functions:echo:MaxInstances", maxInstances.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Set("Gateway:Functions:echo:InstanceConcurrency", instanceConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        try
        {
            time.Advance(TimeSpan.FromSeconds(59));
            InstanceLease? raced = null;
            time.OnNextTimestamp(() => raced = gateway.Queue().TryAcquire(gateway.Pool().Cluster, gateway.Pool().Ready, 1, 100, picker: null, anyInstance: RuntimeApiMailbox.IsInstance).Lease);
            time.Advance(TimeSpan.FromSeconds(2));
            Assert.NotNull(raced);
            Assert.Empty(gateway.Pool().Ready);
            return (gateway, idle, sdk, raced);
        }
        catch
        {
            sdk.Dispose();
            await gateway.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Has two instances start for two invocations and each answer one (as their SDK would, polled by the test): both poll
    /// before either answers, as the one that answered first would otherwise be handed the second invocation.
    /// </summary>
    private static async Task RunOneOnEachOfTwoInstancesAsync(TestGateway gateway)
    {
        var clients = new[] { gateway.Client.GetAsync("/echo/"), gateway.Client.GetAsync("/echo/") };
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 2, Bound);
        using var sdk = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/instances/") };
        var invocations = await Task.WhenAll(gateway.Pool().Instances.Select(instance => sdk.GetAsync($"{instance.Id}/2020-11-11/runtime/invocation/next"))).WaitAsync(Bound);
        foreach (var (instance, invoke) in gateway.Pool().Instances.Zip(invocations))
        {
            using (invoke)
            {
                await sdk.PostAsync(
                    $"{instance.Id}/2020-11-11/runtime/invocation/{invoke.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("""{"statusCode":200,"body":"ok"}"""));
            }
        }

        foreach (var response in await Task.WhenAll(clients).WaitAsync(Bound))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    /// <summary>Takes the next invocation at the instance <paramref name="sdk"/> polls, answers it <c>second</c>, and returns the body <paramref name="client"/> got.</summary>
    private static async Task<string> AnswerNextAsync(HttpClient sdk, Task<HttpResponseMessage> client)
    {
        using (var invoke = await sdk.GetAsync("next").WaitAsync(Bound))
        {
            await sdk.PostAsync($"{invoke.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("""{"statusCode":200,"body":"second"}"""));
        }

        return await (await client.WaitAsync(Bound)).Content.ReadAsStringAsync();
    }

    /// <summary>
    /// Has the only instance answer one invocation, the idle check stop it a minute later (its SIGTERM sent), and a second
    /// invocation queue behind that stop: the instance being stopped, and the second invocation's answer to come.
    /// </summary>
    private static async Task<(LaunchedInstance Stopping, Task<HttpResponseMessage> Second)> QueueBehindTheIdleStopAsync(TestGateway gateway, FakeTimeProvider time)
    {
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.PostAsync("/echo/", new StringContent("first")).WaitAsync(Bound)).StatusCode);
        var stopping = gateway.Pool().InstanceAt(Assert.Single(gateway.Pool().Ready))!;
        time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.HoldsAsync(() => stopping.Process.StopRequested, Bound);

        var second = gateway.Client.PostAsync("/echo/", new StringContent("second"));
        await Eventually.HoldsAsync(() => gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name).Queued == 1, Bound);
        return (stopping, second);
    }

    /// <summary>
    /// The http-echo sample behind a shell that ignores SIGTERM, so that each instance runs out its <c>StopTimeout</c> of
    /// 5 seconds once stopped: at most one instance, idle after a minute.
    /// </summary>
    private static Task<TestGateway> StartIgnoringSigtermAsync(FakeTimeProvider time, Action<GatewayConfiguration>? configure = null, ILoggerProvider? logs = null) =>
        PullFunction.StartAsync(c =>
        {
            c.Set("Gateway:Functions:echo:Command", "/bin/sh")
                .Set("Gateway:Functions:echo:Arguments:0", "-c")
                .Set("Gateway:Functions:echo:Arguments:1", "trap '' TERM; \"$0\" \"$@\" & wait")
                .Set("Gateway:Functions:echo:Arguments:2", PullFunction.Dotnet)
                .Set("Gateway:Functions:echo:Arguments:3", Path.Combine(AppContext.BaseDirectory, "Samples.dll"))
                .Set("Gateway:Functions:echo:Arguments:4", "http-echo")
                .Set("Gateway:Functions:echo:MaxInstances", "1")
                .Set("Gateway:Functions:echo:IdleTimeout", "00:01:00")
                .Set("Gateway:Functions:echo:StopTimeout", "00:00:05");
            configure?.Invoke(c);
        }, time, logs);

    /// <summary>The process group id, the fifth field of <c>/proc/{pid}/stat</c> (after the name, which may hold spaces, in parentheses).</summary>
    private static int ProcessGroupOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
    }
}
