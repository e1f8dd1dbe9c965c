using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Telemetry;
using FcGateway.Launch;
using Gateway.Tests.Diagnostics;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// Functions whose processes the gateway starts (<c>Command</c>): the C# SDK's samples in pull mode, launched as real
/// processes on demand, scaled, stopped when idle, failed over when they die.
/// </summary>
public sealed class LaunchedInstanceTests
{
    /// <summary>A request id of FC's shape (wire contract §9), which lifecycle calls get too.</summary>
    private const string FcRequestIdShape = "^1-[0-9a-f]{8}-[0-9a-f]{24}$";

    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static Task<TestGateway> StartAsync(string sample, Action<GatewayConfiguration>? configure = null, TimeProvider? time = null) =>
        PullFunction.StartAsync(c =>
        {
            c.Set("Gateway:Functions:echo:Command", PullFunction.Dotnet)
                .Set("Gateway:Functions:echo:Arguments:0", Path.Combine(AppContext.BaseDirectory, "Samples.dll"))
                .Set("Gateway:Functions:echo:Arguments:1", sample)
                .Set("Gateway:Functions:echo:Timeout", "00:10:00");
            configure?.Invoke(c);
        }, time);

    [Fact]
    public async Task NoInstanceBeforeTheFirstInvocation_ThenOneStarts_AndAnswers()
    {
        await using var gateway = await StartAsync("http-echo");
        Assert.Empty(gateway.Pool().Ready);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/readyz")).StatusCode);

        var response = await gateway.Client.PostAsync("/echo/", new StringContent("hello", Encoding.UTF8, "text/plain")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
        Assert.Single(gateway.Pool().Ready);
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("is ready (", StringComparison.Ordinal) && line.Contains("ms from process start to its first poll", StringComparison.Ordinal));
    }

    /// <summary>
    /// A function without a queue (<c>MaxQueueLength</c> 0) still starts instances: the first invocation waits for the
    /// cold start its arrival makes, and one arriving while the only instance is busy for the next, which is no
    /// queueing either. Refused 429 instead, no instance would ever start.
    /// </summary>
    [Fact]
    public async Task WithNoQueue_TheFirstInvocationAndOneBeyondTheBusyInstance_AreEachServedByTheInstanceTheirArrivalStarts()
    {
        await using var gateway = await StartAsync("slow", c => c.Set("Gateway:Functions:echo:MaxQueueLength", "0").Set("Gateway:Functions:echo:InstanceConcurrency", "1"));
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name);

        var first = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("""{"delayMs":600000}"""));
        await Eventually.HoldsAsync(() => queue.Running == 1, Bound);
        var second = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("""{"delayMs":1}""")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, gateway.Pool().Ready.Count);
        Assert.False(first.IsCompleted);
    }

    [Fact]
    public async Task AnInstanceThatDies_FailsItsInvocationAtOnce_AndIsReplacedForTheNext()
    {
        await using var gateway = await StartAsync("slow");
        var slow = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("""{"delayMs":600000}"""));
        await Eventually.HoldsAsync(() => gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name).Running == 1, Bound);
        var instance = gateway.Pool().InstanceAt(Assert.Single(gateway.Pool().Ready))!;

        using (var process = Process.GetProcessById(instance.Process.Id))
        {
            process.Kill();
        }

        var failed = await slow.WaitAsync(Bound);
        var next = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("""{"delayMs":1}""")).WaitAsync(Bound);

        var error = System.Text.Json.JsonDocument.Parse(await failed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("ProcessExitedError", error.GetProperty("errorType").GetString());
        Assert.Contains("exited with code", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.NotEqual(instance.Id, Assert.Single(gateway.Pool().Ready).DestinationId);
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line => line.Contains($"instance {instance.Id} exited with code ", StringComparison.Ordinal)
            && line.Contains("; invocations it was running, which failed with it: 1;", StringComparison.Ordinal)), Bound);
    }

    [Fact]
    public async Task InstanceConcurrencyOne_AnInstanceNeverHoldsTwo_EvenWithAPollWaiting()
    {
        await using var gateway = await StartAsync("slow", c => c.Set("Gateway:Functions:echo:MaxInstances", "1"));
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name);
        var first = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("""{"delayMs":600000}"""));
        await Eventually.HoldsAsync(() => queue.Running == 1, Bound);
        var instance = gateway.Pool().InstanceAt(Assert.Single(gateway.Pool().Ready))!;
        using var greedy = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var extraPoll = greedy.GetAsync($"http://{gateway.RuntimeApi()}/instances/{instance.Id}/2020-11-11/runtime/invocation/next");
        await Eventually.HoldsAsync(() => instance.Mailbox.WaitingPolls == 1, Bound);

        var second = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("""{"delayMs":1}"""));
        await Eventually.HoldsAsync(() => queue.Queued == 1, Bound);

        Assert.Equal(1, queue.Running);
        Assert.Equal(0, instance.Mailbox.QueuedInvocations);
        Assert.False(extraPoll.IsCompleted);
        Assert.False(second.IsCompleted);
        greedy.CancelPendingRequests();
        await Assert.ThrowsAnyAsync<Exception>(() => extraPoll);
        _ = first;
    }

    [Fact]
    public async Task AnIdleInstance_IsStoppedAfterTheIdleTimeout()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await StartAsync("http-echo", c => c.Set("Gateway:Functions:echo:IdleTimeout", "00:01:00"), time);
        var response = await gateway.Client.PostAsync("/echo/", new StringContent("x")).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var instance = gateway.Pool().InstanceAt(Assert.Single(gateway.Pool().Ready))!;

        time.Advance(TimeSpan.FromMinutes(2));

        await instance.Process.Exited.WaitAsync(Bound);
        Assert.Empty(gateway.Pool().Ready);
        Assert.Contains(gateway.Logs.Lines, line => line.Contains($"instance {instance.Id} was idle", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnIdleInstance_GivenAnInvocationWhileTheIdleCheckLooksAtIt_IsStoppedOnlyOnceThatHasEnded()
    {
        // The queue grants instances without the pool's lock: an invocation may take an instance after the idle check has
        // seen it run nothing and before the check retires it. The clock's reading for its idle time is that moment.
        var time = new HookedTimeProvider(DateTimeOffset.UtcNow);
        var (gateway, instance, sdk) = await StartWithOneInstanceThatRanAsync(time);
        await using var _ = gateway;
        using var __ = sdk;
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name);
        time.Advance(TimeSpan.FromSeconds(59));
        InstanceLease? lease = null;
        time.OnNextTimestamp(() => lease = queue.TryAcquire(gateway.Pool().Cluster, gateway.Pool().Ready, 1, 100, picker: null, anyInstance: RuntimeApiMailbox.IsInstance).Lease);

        time.Advance(TimeSpan.FromSeconds(2));

        Assert.NotNull(lease);
        Assert.False(instance.Process.StopRequested);
        lease.Dispose();
        time.Advance(TimeSpan.FromSeconds(15));
        Assert.True(instance.Process.StopRequested);
        await instance.Process.Exited.WaitAsync(Bound);
    }

    /// <summary>
    /// A function with an <c>IdleTimeout</c> of a minute whose one instance (a process that never polls; the test polls its
    /// address in its place, as its SDK would, through the client returned) has run one invocation.
    /// </summary>
    internal static async Task<(TestGateway Gateway, LaunchedInstance Instance, HttpClient Sdk)> StartWithOneInstanceThatRanAsync(
        FakeTimeProvider time, Action<GatewayConfiguration>? configure = null)
    {
        var gateway = await PullFunction.StartAsync(c =>
        {
            c.Set("Gateway:Functions:echo:Command", "/bin/sleep")
                .Set("Gateway:Functions:echo:Arguments:0", "600")
                .Set("Gateway:Functions:echo:IdleTimeout", "00:01:00");
            configure?.Invoke(c);
        }, time);
        var client = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var instance = gateway.Pool().Instances[0];
        var sdk = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/instances/{instance.Id}/2020-11-11/runtime/invocation/") };
        using (var invoke = await sdk.GetAsync("next").WaitAsync(Bound))
        {
            await sdk.PostAsync($"{invoke.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("""{"statusCode":200,"body":"ok"}"""));
        }

        Assert.Equal(HttpStatusCode.OK, (await client.WaitAsync(Bound)).StatusCode);
        return (gateway, instance, sdk);
    }

    [Fact]
    public async Task AnIdleInstance_IsStopped_OutsideTheScopeOfTheRequestThatStartedIt()
    {
        // The real clock: a timer of the fake one runs in the context of whoever advances it, not the one it captured.
        var logs = new ScopedLogs();
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", PullFunction.Dotnet)
            .Set("Gateway:Functions:echo:Arguments:0", Path.Combine(AppContext.BaseDirectory, "Samples.dll"))
            .Set("Gateway:Functions:echo:Arguments:1", "http-echo")
            .Set("Gateway:Functions:echo:IdleTimeout", "00:00:01"), logs: logs);
        var response = await gateway.Client.PostAsync("/echo/", new StringContent("x")).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var instance = gateway.Pool().InstanceAt(Assert.Single(gateway.Pool().Ready))!;

        await instance.Process.Exited.WaitAsync(Bound);

        var stopped = Assert.Single(logs.Entries, entry => entry.Message.Contains($"instance {instance.Id} was idle", StringComparison.Ordinal));
        Assert.False(stopped.Scopes.ContainsKey(RequestLogScope.Key), $"the idle stop is logged in the scope of request {stopped.Scopes.GetValueOrDefault(RequestLogScope.Key)}");
    }

    [Fact]
    public async Task StoppingTheGateway_StopsItsInstances_WithoutCallingTheirExitACrash()
    {
        var gateway = await StartAsync("http-echo", c => c.Set("Gateway:Functions:echo:MinInstances", "1"));
        await Eventually.HoldsAsync(() => gateway.Pool().Ready.Count == 1, Bound);
        var instance = gateway.Pool().InstanceAt(gateway.Pool().Ready[0])!;
        var directory = gateway.Services.GetRequiredService<RuntimeApiDirectory>();

        await gateway.StopAsync();
        await gateway.DisposeAsync();

        Assert.True(instance.Process.Exited.IsCompleted);
        await Eventually.HoldsAsync(() => directory.InstanceMailbox(PullFunction.Name, instance.Id) is null, Bound);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("it is replaced when needed", StringComparison.Ordinal));

        // Its exit leaves fewer than MinInstances: no replacement is tried, and none is reported as failing to start.
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("could not be started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StoppingTheGateway_InvocationsStillRunningOrQueuedWhenTheDrainEnds_AreAnswered503()
    {
        // Kestrel aborts the connections it still has when the shutdown time (DrainTimeout) runs out: the invocations
        // given up on just before are answered, not cut.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var gateway = await StartAsync("slow", c => c
            .Set("Gateway:DrainTimeout", "00:02:00")
            .Set("Gateway:Functions:echo:Timeout", "01:00:00")
            .Set("Gateway:Functions:echo:QueueTimeout", "01:00:00")
            .Set("Gateway:Functions:echo:MaxInstances", "1"), time);
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name);
        var running = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("""{"delayMs":600000}"""));
        await Eventually.HoldsAsync(() => queue.Running == 1 && gateway.Pool().InstanceAt(gateway.Pool().Ready[0])!.Mailbox.Workers == 1, Bound);
        var queued = gateway.Client.PostAsync("/echo/", new StringContent("x"));
        await Eventually.HoldsAsync(() => queue.Queued == 1, Bound);
        var drain = gateway.Services.GetRequiredService<RequestDrain>();

        var stopping = gateway.StopAsync();
        await Eventually.HoldsAsync(() =>
        {
            time.Advance(drain.Time);
            return drain.Ended.IsCancellationRequested;
        }, Bound);

        foreach (var response in new[] { await running.WaitAsync(Bound), await queued.WaitAsync(Bound) })
        {
            await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.ServiceUnavailable, "ResourceThrottled");
            Assert.Matches(FcRequestIdShape, response.Headers.GetValues("X-Fc-Request-Id").Single());
        }

        await stopping.WaitAsync(Bound);
        await gateway.DisposeAsync();
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("ClientClosedRequest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DisposingTheGatewayWithoutStoppingIt_StillKillsItsInstances()
    {
        var gateway = await StartAsync("http-echo", c => c.Set("Gateway:Functions:echo:MinInstances", "1"));
        await Eventually.HoldsAsync(() => gateway.Pool().Ready.Count == 1, Bound);
        var instance = gateway.Pool().InstanceAt(gateway.Pool().Ready[0])!;

        await gateway.DisposeAsync();

        Assert.True(instance.Process.Exited.IsCompleted);
    }

    /// <summary>
    /// A worker started by hand beside the launched instances, at the function's address: no invocation is ever posted
    /// there, and its poll waited, unanswered, for as long as the gateway ran.
    /// </summary>
    [Fact]
    public async Task APollAtTheFunctionsSharedAddress_IsRefused_SinceOnlyItsLaunchedInstancesGetItsInvocations()
    {
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/sleep")
            .Set("Gateway:Functions:echo:Arguments:0", "600"));
        using var byHand = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };

        using var next = await byHand.GetAsync("next").WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.NotFound, next.StatusCode);
        Assert.Contains("instances are started by the gateway (Command)", await next.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(gateway.Pool().Instances);
    }

    [Fact]
    public async Task Initializer_GoesToANewInstanceFirst_AndWhenItFails_TheInstanceIsNotUsed()
    {
        // The "instance" is a process that never polls; the test polls its address in its place, as its SDK would.
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/sleep")
            .Set("Gateway:Functions:echo:Arguments:0", "600")
            .Set("Gateway:Functions:echo:Initializer", "true"));
        var client = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var instance = gateway.Pool().Instances[0];
        using var sdk = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/instances/{instance.Id}/2020-11-11/runtime/invocation/") };

        using var next = await sdk.GetAsync("next").WaitAsync(Bound);
        var id = next.Headers.GetValues("x-fc-request-id").Single();
        var initializerError = await sdk.PostAsync($"{id}/error", new StringContent("""{"errorMessage":"no database","errorType":"Error"}"""));
        var response = await client.WaitAsync(Bound);

        Assert.Equal("1", next.Headers.GetValues("x-fc-function-type").Single());
        Assert.Matches(FcRequestIdShape, id);
        Assert.Empty(await next.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, initializerError.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await instance.Process.Exited.WaitAsync(Bound);
        Assert.Contains(gateway.Logs.Lines, line => line.Contains($"the initializer of instance {instance.Id} failed", StringComparison.Ordinal) && line.Contains("no database", StringComparison.Ordinal));
        Assert.Contains(gateway.Logs.Lines, line => line.Contains($"Killing instance {instance.Id} of function 'echo'", StringComparison.Ordinal) && line.Contains("at once: it is being replaced", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailedInitializer_GivesTheInvocationApisLogTail_WhatTheInstanceWroteSinceItsStart()
    {
        // The "instance" writes a line, then never polls; the test polls its address in its place, as its SDK would.
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/sh")
            .Set("Gateway:Functions:echo:Arguments:0", "-c")
            .Set("Gateway:Functions:echo:Arguments:1", "echo 'FC Initialize Start'; exec sleep 600")
            .Set("Gateway:Functions:echo:Initializer", "true"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2023-03-30/functions/echo/invocations") { Content = new StringContent("{}") };
        request.Headers.Add("x-fc-log-type", "Tail");
        var client = gateway.Client.SendAsync(request);
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var instance = gateway.Pool().Instances[0];
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line => line.Contains("stdout: FC Initialize Start", StringComparison.Ordinal)), Bound);
        using var sdk = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/instances/{instance.Id}/2020-11-11/runtime/invocation/") };

        using var next = await sdk.GetAsync("next").WaitAsync(Bound);
        await sdk.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/error", new StringContent("""{"errorMessage":"no database","errorType":"Error"}"""));
        var response = await client.WaitAsync(Bound);

        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("InitializationError", error.RootElement.GetProperty("errorType").GetString());
        var log = Encoding.UTF8.GetString(Convert.FromBase64String(response.Headers.GetValues("X-Fc-Log-Result").Single()));
        Assert.Equal("FC Initialize Start\n", log);
    }

    [Fact]
    public async Task PreStop_IsSentToAnIdleInstance_BeforeItIsStopped()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (gateway, instance, sdk) = await StartWithOneInstanceThatRanAsync(time, c => c.Set("Gateway:Functions:echo:PreStop", "true"));
        await using var _ = gateway;
        using var __ = sdk;
        var preStop = sdk.GetAsync("next");
        await Eventually.HoldsAsync(() => instance.Mailbox.WaitingPolls == 1, Bound);
        time.Advance(TimeSpan.FromMinutes(2));
        using var preStopInvocation = await preStop.WaitAsync(Bound);
        Assert.False(instance.Process.Exited.IsCompleted);
        await sdk.PostAsync($"{preStopInvocation.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent(""));

        Assert.Equal("2", preStopInvocation.Headers.GetValues("x-fc-function-type").Single());
        Assert.Matches(FcRequestIdShape, preStopInvocation.Headers.GetValues("x-fc-request-id").Single());
        await instance.Process.Exited.WaitAsync(Bound);
    }

    [Fact]
    public async Task PreStop_IsSentToEachReadyInstance_WhenTheGatewayStops_BeforeItsProcessIsStopped()
    {
        // The "instance" is a process that never polls; the test polls its address in its place, as its SDK would.
        var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/sleep")
            .Set("Gateway:Functions:echo:Arguments:0", "600")
            .Set("Gateway:Functions:echo:MinInstances", "1")
            .Set("Gateway:Functions:echo:PreStop", "true"));
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var instance = gateway.Pool().Instances[0];
        using var sdk = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/instances/{instance.Id}/2020-11-11/runtime/invocation/") };
        var preStop = sdk.GetAsync("next");
        await Eventually.HoldsAsync(() => gateway.Pool().Ready.Count == 1, Bound);

        var stopping = gateway.StopAsync();
        using var preStopInvocation = await preStop.WaitAsync(Bound);
        Assert.Equal("2", preStopInvocation.Headers.GetValues("x-fc-function-type").Single());
        Assert.False(instance.Process.Exited.IsCompleted);
        using var reply = await sdk.PostAsync($"{preStopInvocation.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent(""));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);

        await stopping.WaitAsync(Bound);
        await gateway.DisposeAsync();
        Assert.True(instance.Process.Exited.IsCompleted);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("pre-stop invocation of instance", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Started instance", StringComparison.Ordinal) && !line.Contains(instance.Id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnInstance_IsReused_ForTheNextInvocation_OnlyTheFirstIsAColdStart()
    {
        using var spans = new Gateway.Tests.Diagnostics.RecordedSpans();
        await using var gateway = await StartAsync("http-echo");

        var first = await gateway.Client.PostAsync("/echo/", new StringContent("one")).WaitAsync(Bound);
        var instance = Assert.Single(gateway.Pool().Instances);
        var second = await gateway.Client.PostAsync("/echo/", new StringContent("two")).WaitAsync(Bound);

        Assert.Equal("one", await first.Content.ReadAsStringAsync());
        Assert.Equal("two", await second.Content.ReadAsStringAsync());
        Assert.Same(instance, Assert.Single(gateway.Pool().Instances));
        var coldSpan = await spans.InvocationAsync(first.Headers.GetValues("X-Fc-Request-Id").Single());
        var warmSpan = await spans.InvocationAsync(second.Headers.GetValues("X-Fc-Request-Id").Single());
        Assert.Equal(true, coldSpan.GetTagItem("faas.coldstart"));
        Assert.Null(warmSpan.GetTagItem("faas.coldstart"));
    }

    [Fact]
    public async Task TheInstances_AndEachOnesStartDuration_AreMeasured()
    {
        await using var gateway = await StartAsync("http-echo");
        using var measurements = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());

        var first = await gateway.Client.PostAsync("/echo/", new StringContent("one")).WaitAsync(Bound);
        var second = await gateway.Client.PostAsync("/echo/", new StringContent("two")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var started = Assert.Single(measurements.Of("fcgateway.instance.start.duration"));
        Assert.True(started.Has("faas.invoked_name", "echo"));
        Assert.InRange(started.Value, double.Epsilon, Bound.TotalSeconds);
        var instances = measurements.Observe("fcgateway.instances");
        Assert.Equal(1, Assert.Single(instances, m => m.Has("fcgateway.instance.state", "ready") && m.Has("faas.invoked_name", "echo")).Value);
        Assert.Equal(0, Assert.Single(instances, m => m.Has("fcgateway.instance.state", "starting")).Value);
    }

    [Fact]
    public async Task UnderConcurrentLoad_InstancesScaleOutToMaxInstances_ThenInvocationsQueue_ThenAreRefused429()
    {
        await using var gateway = await StartAsync("slow", c => c
            .Set("Gateway:Functions:echo:MaxInstances", "2")
            .Set("Gateway:Functions:echo:MaxQueueLength", "1"));
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name);
        var held = Enumerable.Range(0, 3)
            .Select(_ => gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("""{"delayMs":600000}""")))
            .ToList();

        await Eventually.HoldsAsync(() => queue.Running == 2 && queue.Queued == 1, Bound);
        var refused = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("""{"delayMs":1}""")).WaitAsync(Bound);

        Assert.Equal(2, gateway.Pool().Ready.Count);
        await ErrorPathTests.AssertGatewayErrorAsync(refused, HttpStatusCode.TooManyRequests, "ResourceExhausted");
        Assert.All(held, request => Assert.False(request.IsCompleted));
    }

    [Fact]
    public async Task AnInstanceThatMissesTheDeadline_IsKilled_AndANewOneServesTheNext()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await StartAsync("slow", c => c.Set("Gateway:Functions:echo:Timeout", "00:00:30"), time);
        var slow = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("""{"delayMs":600000}"""));
        await Eventually.HoldsAsync(() => gateway.Pool().Ready.Count == 1 && gateway.Pool().InstanceAt(gateway.Pool().Ready[0])!.Mailbox.Workers == 1, Bound);
        var instance = gateway.Pool().InstanceAt(gateway.Pool().Ready[0])!;

        time.Advance(TimeSpan.FromSeconds(31));
        var timedOut = await slow.WaitAsync(Bound);
        await instance.Process.Exited.WaitAsync(Bound);
        var next = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("""{"delayMs":1}""")).WaitAsync(Bound);

        Assert.Equal("FunctionTimeoutError", System.Text.Json.JsonDocument.Parse(await timedOut.Content.ReadAsStringAsync()).RootElement.GetProperty("errorType").GetString());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.NotSame(instance, Assert.Single(gateway.Pool().Instances));
    }

    /// <summary>
    /// A runtime client that asks for the next invocation only once it has answered the last (docs/lambda.md), with
    /// <c>InstanceConcurrency</c> 2: the second invocation waits at the instance's address while the first runs, and
    /// no poll takes it within its <c>Timeout</c>. That instance is busy, not hung: killing it failed the first
    /// invocation too, with time left before its own deadline.
    /// </summary>
    [Fact]
    public async Task AnInvocationNoPollTookInTime_AtAnInstanceRunningAnother_FailsAlone_AndTheInstanceRunsOn()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/sleep")
            .Set("Gateway:Functions:echo:Arguments:0", "600")
            .Set("Gateway:Functions:echo:InstanceConcurrency", "2")
            .Set("Gateway:Functions:echo:Timeout", "00:00:30"), time);
        var warmUp = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var instance = gateway.Pool().Instances[0];
        using var sdk = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/instances/{instance.Id}/2020-11-11/runtime/invocation/") };
        await ReplyToNextAsync(sdk, "warm");
        Assert.Equal(HttpStatusCode.OK, (await warmUp.WaitAsync(Bound)).StatusCode);

        var first = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));
        await Eventually.HoldsAsync(() => instance.Mailbox.QueuedInvocations == 1, Bound);
        var second = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));
        await Eventually.HoldsAsync(() => instance.Mailbox.QueuedInvocations == 2, Bound);
        time.Advance(TimeSpan.FromSeconds(10));
        using var next = await sdk.GetAsync("next").WaitAsync(Bound);
        time.Advance(TimeSpan.FromSeconds(21));
        using var notTaken = await second.WaitAsync(Bound);
        var stoppedForIt = instance.IsStopping;
        using var reply = await sdk.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("\"first\"")).WaitAsync(Bound);
        using var answered = await first.WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, notTaken.StatusCode);
        Assert.False(stoppedForIt);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.Equal("\"first\"", await answered.Content.ReadAsStringAsync());
        Assert.False(answered.Headers.Contains("X-Fc-Error-Type"));
        Assert.False(instance.Process.Exited.IsCompleted);
    }

    private static async Task ReplyToNextAsync(HttpClient sdk, string output)
    {
        using var next = await sdk.GetAsync("next").WaitAsync(Bound);
        using var reply = await sdk.PostAsync($"{next.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent($"\"{output}\"")).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
    }

    [Fact]
    public async Task Initializer_RunsOncePerInstance_BeforeItsFirstInvocation()
    {
        await using var gateway = await StartAsync("http-echo", c => c
            .Set("Gateway:Functions:echo:Initializer", "true")
            .Set("Gateway:Functions:echo:Arguments:2", "--Logging:LogLevel:FcWorker.Invocation=Debug"));

        var first = await gateway.Client.PostAsync("/echo/", new StringContent("one")).WaitAsync(Bound);
        var second = await gateway.Client.PostAsync("/echo/", new StringContent("two")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Count(line => line.Contains("FC Invoke Start", StringComparison.Ordinal)) == 2, Bound);
        var sdkLines = gateway.Logs.Lines.Where(line => line.Contains("FC Initialize Start", StringComparison.Ordinal) || line.Contains("FC Invoke Start", StringComparison.Ordinal)).ToList();
        Assert.Single(sdkLines, line => line.Contains("FC Initialize Start", StringComparison.Ordinal));
        Assert.Contains("FC Initialize Start", sdkLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInstanceThatExitsBeforePolling_FailsTheWaitingInvocation_WithoutWaitingOutTheQueue()
    {
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/false")
            .Set("Gateway:Functions:echo:QueueTimeout", "00:10:00"));

        var response = await gateway.Client.GetAsync("/echo/").WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("exited before it polled for invocations"), Bound);
    }

    /// <summary>
    /// A program that passed the configuration's checks (a script with its <c>#!</c> line) but that the system cannot run
    /// once the gateway has started — its <c>#!</c> line lost here, an exec format error; an interpreter that is missing,
    /// or a file removed since, alike — starts no instance: the invocation waiting for one fails at once, as when an
    /// instance exits before polling, not with 429 once its QueueTimeout ends. The start's failure is one log line that
    /// names the function and the reason, escaped.
    /// </summary>
    [Fact]
    public async Task AnInstanceThatCannotBeStarted_FailsTheWaitingInvocation_WithoutWaitingOutTheQueue()
    {
        if (OperatingSystem.IsWindows())
        {
            // The program is made executable by its Unix file mode, which Windows does not have.
            return;
        }

        var folder = Directory.CreateTempSubdirectory("gateway-command-");
        try
        {
            // Named with a line feed, which the log line escapes.
            var program = Path.Combine(folder.FullName, "function\nforged");
            await File.WriteAllTextAsync(program, "#!/bin/sh\nexec sleep 600\n");
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await using var gateway = await PullFunction.StartAsync(c => c
                .Set("Gateway:Functions:echo:Command", program)
                .Set("Gateway:Functions:echo:QueueTimeout", "00:10:00"));
            await File.WriteAllTextAsync(program, "exec sleep 600\n");

            using var response = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}")).WaitAsync(Bound);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("InitializationError", error.GetProperty("errorType").GetString());
            Assert.Contains("could not be started", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
            var logged = Assert.Single(gateway.Logs.Lines, line => line.Contains("an instance could not be started", StringComparison.Ordinal));
            Assert.Contains("Function 'echo': an instance could not be started: Function 'echo': could not start '", logged, StringComparison.Ordinal);
            Assert.Contains(@"function\u000aforged", logged, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', logged);
            Assert.EndsWith("Exec format error", logged, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A program the look before the start takes to run (an ELF file for this machine) that setpriv then cannot execute
    /// (its loader is missing): reported as a start that failed, as when the gateway runs the program directly, not as
    /// an instance that exited before it polled.
    /// </summary>
    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task AnInstanceThatSetprivCannotRun_IsReportedAsAStartThatFailed()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-command-");
        try
        {
            var program = MissingLoaderProgram.Create(folder.FullName);
            await using var gateway = await PullFunction.StartAsync(c => c
                .Set("Gateway:Functions:echo:Command", program)
                .Set("Gateway:Functions:echo:QueueTimeout", "00:10:00"));

            using var response = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}")).WaitAsync(Bound);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("InitializationError", error.GetProperty("errorType").GetString());
            Assert.Contains("could not be started", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);

            var failedStart = Assert.Single(gateway.Logs.Lines, line => line.Contains("an instance could not be started", StringComparison.Ordinal));
            Assert.EndsWith(
                $"Function 'echo': an instance could not be started: setpriv: failed to execute {program}: No such file or directory", failedStart, StringComparison.Ordinal);
            Assert.False(gateway.Logs.Contains("invocations it was running"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// An instance whose setpriv fails to run its program once the gateway's shutdown has begun: no start is failing then
    /// (none is made), so none is reported; the log says what ended that instance. The setpriv here is a script that
    /// says what util-linux's says when it cannot execute the command (and exits with its code, 127), at the SIGTERM the
    /// shutdown sends it: the real one fails at once, before a test could begin the shutdown.
    /// </summary>
    [Fact]
    [SupportedOSPlatform("linux")]
    public async Task AnInstanceThatSetprivCannotRun_WhileTheGatewayShutsDown_IsNotReportedAsAStartThatFailed()
    {
        var folder = Directory.CreateTempSubdirectory("gateway-setpriv-");
        try
        {
            var ready = Path.Join(folder.FullName, "ready");
            var setpriv = Path.Join(folder.FullName, "setpriv");
            await File.WriteAllTextAsync(setpriv, $$"""
                #!/bin/sh
                trap 'echo "setpriv: failed to execute $4: No such file or directory" >&2; exit 127' TERM
                touch '{{ready}}'
                while :; do sleep 0.1; done
                """);
            File.SetUnixFileMode(setpriv, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var gateway = await TestGateway.StartAsync(
                PullFunction.Configuration().Set("Gateway:Functions:echo:Command", "/bin/true").Set("Gateway:Functions:echo:MinInstances", "1").Values,
                builder => builder.Services.AddSingleton(new ProcessStarter(setpriv)));
            await using var _ = gateway;
            await Eventually.HoldsAsync(() => File.Exists(ready), Bound);
            var instance = Assert.Single(gateway.Pool().Instances);

            await gateway.StopAsync().WaitAsync(Bound);

            // The pool handles the exit as the shutdown sees it: logged by then, or soon after.
            await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line => line.Contains($"{typeof(LaunchedInstancePool).FullName}: ", StringComparison.Ordinal) && line.Contains("setpriv: failed", StringComparison.Ordinal)), Bound);
            Assert.False(gateway.Logs.Contains("an instance could not be started"));
            Assert.Contains(gateway.Logs.Lines, line => line.EndsWith(
                $"Function 'echo': instance {instance.Id} exited with code 127 before its first poll, as the gateway shuts down: its program could not be run: "
                + "setpriv: failed to execute /bin/true: No such file or directory", StringComparison.Ordinal));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AClientThatLeaves_DoesNotFreeTheInstance_UntilItsWorkerAnswers()
    {
        // The "instance" is a process that never polls; the test polls its address in its place, as its SDK would.
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/sleep")
            .Set("Gateway:Functions:echo:Arguments:0", "600")
            .Set("Gateway:Functions:echo:MaxInstances", "1"));
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name);
        using var leaving = new CancellationTokenSource();
        var first = gateway.Client.GetAsync("/echo/first", leaving.Token);
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var instance = gateway.Pool().Instances[0];
        using var sdk = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/instances/{instance.Id}/2020-11-11/runtime/invocation/") };
        using var firstInvocation = await sdk.GetAsync("next").WaitAsync(Bound);

        await leaving.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        var second = gateway.Client.GetAsync("/echo/second");
        await Eventually.HoldsAsync(() => queue.Queued == 1, Bound);
        Assert.Equal(1, queue.Running);

        var firstId = firstInvocation.Headers.GetValues("x-fc-request-id").Single();
        using var shared = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        var fromAnotherAddress = await shared.PostAsync($"{firstId}/response", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, fromAnotherAddress.StatusCode);
        await sdk.PostAsync($"{firstId}/response", new StringContent("{}"));
        using var secondInvocation = await sdk.GetAsync("next").WaitAsync(Bound);
        await sdk.PostAsync($"{secondInvocation.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent("""{"statusCode":200,"body":"second"}"""));

        Assert.Equal("second", await (await second.WaitAsync(Bound)).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnInstanceThatNeverPolls_IsKilledAfterTheInitializationTimeout_AndTheWaitingInvocationFails()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/sleep")
            .Set("Gateway:Functions:echo:Arguments:0", "600")
            .Set("Gateway:Functions:echo:InitializationTimeout", "00:00:10")
            .Set("Gateway:Functions:echo:QueueTimeout", "00:10:00"), time);
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name);
        var invoked = gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var instance = gateway.Pool().Instances[0];

        // The instance starts before the invocation joins the queue: moving the clock before it waits would let the
        // instance time out with nobody waiting, and the invocation would then wait for (or fail with) what came after.
        await Eventually.HoldsAsync(() => queue.Queued == 1, Bound);
        await Eventually.HoldsAsync(() =>
        {
            time.Advance(TimeSpan.FromSeconds(11));
            return instance.Process.Exited.IsCompleted;
        });

        var response = await invoked.WaitAsync(Bound);
        Assert.Equal("UnhandledInvocationError", response.Headers.GetValues("X-Fc-Error-Type").Single());
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("did not poll the runtime API within", StringComparison.Ordinal));
        // Told as what it was, not as a crash: the gateway stopped the process.
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("InitializationError", error.GetProperty("errorType").GetString());
        Assert.Contains("within its InitializationTimeout of 00:00:10", error.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }
}
