using System.Net;
using System.Text.Json;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Scheduling;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// Reloads of a launched function's settings: instances started with settings no longer in force take no more
/// invocations, finish the ones they run, and are stopped. Most "instances" here are <c>/bin/sleep</c> processes that
/// never poll: the test polls their addresses in their place, as their SDK would, and answers when it chooses.
/// </summary>
public sealed class LaunchedInstanceReloadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AReloadThatStopsLaunchingTheFunction_StopsItsIdleInstances()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var editable = new EditableConfiguration(PullFunction.Configuration()
            .Set("Gateway:Functions:echo:Command", PullFunction.Dotnet)
            .Set("Gateway:Functions:echo:Arguments:0", Path.Combine(AppContext.BaseDirectory, "Samples.dll"))
            .Set("Gateway:Functions:echo:Arguments:1", "http-echo")
            .Set("Gateway:Functions:echo:IdleTimeout", "00:01:00")
            .Set("Gateway:Functions:echo:Timeout", "00:10:00").Values);
        await using var gateway = await StartEditableAsync(editable, time);
        var response = await gateway.Client.PostAsync("/echo/", new StringContent("x")).WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var instance = gateway.Pool().InstanceAt(Assert.Single(gateway.Pool().Ready))!;

        // Its workers are now to be started elsewhere: nothing but the pool's idle check is left to stop this one.
        editable.Remove("Gateway:Functions:echo:Command", "Gateway:Functions:echo:Arguments", "Gateway:Functions:echo:IdleTimeout");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        time.Advance(TimeSpan.FromMinutes(2));

        await instance.Process.Exited.WaitAsync(Bound);
        Assert.Empty(gateway.Pool().Ready);
    }

    /// <summary>
    /// A worker started by hand polled the function's shared address, then an edit gave the function a Command: nothing
    /// is posted there any more, so its waiting poll is answered as a new one would be, not left waiting for ever.
    /// </summary>
    [Fact]
    public async Task AReloadThatStartsLaunchingTheFunction_AnswersThePollWaitingAtItsSharedAddress()
    {
        var editable = new EditableConfiguration(PullFunction.Configuration().Values);
        await using var gateway = await StartEditableAsync(editable, TimeProvider.System);
        using var byHand = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/2020-11-11/runtime/invocation/") };
        var next = byHand.GetAsync("next");
        var shared = gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => shared.WaitingPolls == 1, Bound);

        editable.Put(("Gateway:Functions:echo:Command", "/bin/sleep"), ("Gateway:Functions:echo:Arguments:0", "600"));

        using var answer = await next.WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Contains("instances are started by the gateway (Command)", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReloadThatRaisesMinInstances_StartsTheInstancesAtOnce()
    {
        var editable = new EditableConfiguration(PullFunction.Configuration()
            .Set("Gateway:Functions:echo:Command", PullFunction.Dotnet)
            .Set("Gateway:Functions:echo:Arguments:0", Path.Combine(AppContext.BaseDirectory, "Samples.dll"))
            .Set("Gateway:Functions:echo:Arguments:1", "http-echo").Values);
        await using var gateway = await StartEditableAsync(editable, TimeProvider.System);
        Assert.Empty(gateway.Pool().Instances);

        editable.Put("Gateway:Functions:echo:MinInstances", "2");

        await Eventually.HoldsAsync(() => gateway.Pool().Ready.Count == 2, Bound);
    }

    [Fact]
    public async Task AReloadThatRemovesTheFunction_LetsTheInvocationItsInstanceRuns_Finish_ThenStopsTheInstance()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var editable = new EditableConfiguration(SleepingFunction()
            .Set("ReverseProxy:Routes:other:Match:Path", "/other/{**rest}")
            .Set("ReverseProxy:Routes:other:Metadata:FunctionName", "other")
            .Set("Gateway:Functions:other:RuntimeApi", "fc").Values);
        await using var gateway = await StartEditableAsync(editable, time);
        using var first = await TakeAsync(gateway, "/echo/finished");

        // In-flight invocations finish under the settings they started with: the reply still counts at the instance's address.
        editable.Remove($"Gateway:Functions:{PullFunction.Name}", $"ReverseProxy:Routes:{PullFunction.Name}");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        Assert.Equal("finished", await first.AnswerAsync());

        // Then, running nothing, it is stopped by the pool's idle check, which says why.
        time.Advance(TimeSpan.FromMinutes(1));
        await first.Instance.Process.Exited.WaitAsync(Bound);
        Assert.True(gateway.Logs.Contains($"instance {first.Instance.Id} takes no more invocations and is stopped once those it runs have finished: the function is no longer launched"));
        Assert.False(gateway.Logs.Contains("was idle for"));
    }

    [Fact]
    public async Task AReloadThatRemovesAFunctionWithPreStop_TakesThePreStopReply_OfItsInstance()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var editable = new EditableConfiguration(SleepingFunctionWithPreStop().Values);
        await using var gateway = await StartEditableAsync(editable, time);
        using var first = await TakeAsync(gateway, "/echo/first");
        Assert.Equal("first", await first.AnswerAsync());
        var preStop = first.Sdk.GetAsync("next");
        await Eventually.HoldsAsync(() => first.Instance.Mailbox.WaitingPolls == 1, Bound);

        editable.Remove($"Gateway:Functions:{PullFunction.Name}", $"ReverseProxy:Routes:{PullFunction.Name}");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        time.Advance(TimeSpan.FromMinutes(1));

        // The pre-stop runs under the settings the instance was started with, so its reply counts at the instance's address.
        await AnswerPreStopAsync(first, preStop);
        await first.Instance.Process.Exited.WaitAsync(Bound);
        Assert.False(gateway.Logs.Contains("pre-stop invocation of instance"));
    }

    [Fact]
    public async Task AReloadThatRemovesAFunctionWithPreStop_WhileItsInstanceRunsAnInvocation_StillServesTheInstancesPolls()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var editable = new EditableConfiguration(SleepingFunctionWithPreStop().Values);
        await using var gateway = await StartEditableAsync(editable, time);
        using var first = await TakeAsync(gateway, "/echo/first");

        editable.Remove($"Gateway:Functions:{PullFunction.Name}", $"ReverseProxy:Routes:{PullFunction.Name}");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        Assert.Equal("first", await first.AnswerAsync());

        // Its SDK polls again after answering, as ever: a launched instance's address stays its own until it exits.
        var preStop = first.Sdk.GetAsync("next");
        await Eventually.HoldsAsync(() => first.Instance.Mailbox.WaitingPolls == 1, Bound);
        time.Advance(TimeSpan.FromMinutes(1));

        await AnswerPreStopAsync(first, preStop);
        await first.Instance.Process.Exited.WaitAsync(Bound);
    }

    [Fact]
    public async Task AReloadThatChangesTheCommandLine_SendsNewInvocationsToANewProcess_AndStopsTheOldOneOnceItsInvocationEnded()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var editable = new EditableConfiguration(SleepingFunction().Values);
        await using var gateway = await StartEditableAsync(editable, time);
        using var first = await TakeAsync(gateway, "/echo/first");
        var old = first.Instance;

        editable.Put("Gateway:Functions:echo:Arguments:0", "601");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        // The old process takes no more invocations: the next one starts a process of the new command line.
        using var second = await TakeAsync(gateway, "/echo/second", instance => instance != old);
        // Started through setpriv, the process may not have exec'd sleep yet when it is first read (once in CI it read empty).
        await Eventually.HoldsAsync(() => File.ReadAllText($"/proc/{second.Instance.Process.Id}/cmdline") == "/bin/sleep\u0000601\u0000", Bound);
        Assert.True(gateway.Logs.Contains($"instance {old.Id} takes no more invocations and is stopped once those it runs have finished: it was started with an earlier Command"));

        // The invocation the old process runs ends there; then, running nothing, it is stopped at the pool's next check.
        Assert.Equal("first", await first.AnswerAsync());
        time.Advance(TimeSpan.FromMinutes(1));
        await old.Process.Exited.WaitAsync(Bound);
        Assert.Equal("second", await second.AnswerAsync());
        Assert.False(second.Instance.Process.Exited.IsCompleted);
    }

    [Fact]
    public async Task AnInstanceRetiredByAReload_IsStillStopped_WhenALaterReloadStopsLaunchingTheFunction()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var editable = new EditableConfiguration(SleepingFunction().Values);
        await using var gateway = await StartEditableAsync(editable, time);
        using var first = await TakeAsync(gateway, "/echo/first");

        // Retired (outdated) while it runs an invocation, then its function is no longer launched at all.
        editable.Put("Gateway:Functions:echo:Arguments:0", "601");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"instance {first.Instance.Id} takes no more invocations"), Bound);
        editable.Remove("Gateway:Functions:echo:Command", "Gateway:Functions:echo:Arguments");
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Count(line => line.Contains("is now in force", StringComparison.Ordinal)) == 2, Bound);

        // Its invocation ends; running nothing, it is stopped at the pool's next check all the same.
        Assert.Equal("first", await first.AnswerAsync());
        time.Advance(TimeSpan.FromMinutes(1));
        await first.Instance.Process.Exited.WaitAsync(Bound);
    }

    [Fact]
    public async Task AnInstanceRetiredByAReload_ThatMissesTheDeadline_IsKilled()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var editable = new EditableConfiguration(SleepingFunction().Set("Gateway:Functions:echo:Timeout", "00:00:10").Values);
        await using var gateway = await StartEditableAsync(editable, time);
        using var first = await TakeAsync(gateway, "/echo/first");
        editable.Put("Gateway:Functions:echo:Arguments:0", "601");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"instance {first.Instance.Id} takes no more invocations"), Bound);

        // Its invocation times out (before the pool's next check, every 30 s): a hung handler is killed, retired or not.
        time.Advance(TimeSpan.FromSeconds(11));
        using var timedOut = await first.Request.WaitAsync(Bound);
        await first.Instance.Process.Exited.WaitAsync(Bound);

        Assert.True(gateway.Logs.Contains($"instance {first.Instance.Id} is killed"));
    }

    [Fact]
    public async Task AReloadThatLowersMaxInstances_RetiresTheInstancesBeyondIt_OnceTheirInvocationsEnded()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var editable = new EditableConfiguration(SleepingFunction().Set("Gateway:Functions:echo:MaxInstances", "2").Values);
        await using var gateway = await StartEditableAsync(editable, time);
        using var a = await TakeAsync(gateway, "/echo/a");
        using var b = await TakeAsync(gateway, "/echo/b", instance => instance != a.Instance);

        editable.Put("Gateway:Functions:echo:MaxInstances", "1");

        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var retired = gateway.Pool().Instances.Contains(a.Instance) ? b.Instance : a.Instance;
        Assert.Equal("a", await a.AnswerAsync());
        Assert.Equal("b", await b.AnswerAsync());
        time.Advance(TimeSpan.FromMinutes(1));
        await retired.Process.Exited.WaitAsync(Bound);
        Assert.False(gateway.Pool().Instances.Single().Process.Exited.IsCompleted);
    }

    [Fact]
    public async Task AReloadThatMakesAPushedFunctionLaunched_LeavesTheSlotsItsOldWorkerFrees_ToPushedInvocations()
    {
        await using var worker = await HeldWorker.StartAsync(body: "pushed");
        var editable = new EditableConfiguration(new GatewayConfiguration()
            .Set("ReverseProxy:Routes:echo:ClusterId", "echo")
            .Set("ReverseProxy:Routes:echo:Match:Path", "/echo/{**rest}")
            .Set("ReverseProxy:Routes:echo:Metadata:FunctionName", "echo")
            .Set("ReverseProxy:Clusters:echo:Destinations:w:Address", worker.Url)
            .Set("Gateway:RuntimeApi:Urls", "http://127.0.0.1:0").Values);
        await using var gateway = await StartEditableAsync(editable, TimeProvider.System);
        var pushed = gateway.Client.GetAsync("/echo/pushed");
        await worker.Invoked.WaitAsync(Bound);

        // Its workers are now launched, one at a time: two invocations queue for the one instance, starting.
        editable.Replace(
            ["ReverseProxy:Routes:echo:ClusterId", "ReverseProxy:Clusters:echo"],
            ("Gateway:Functions:echo:RuntimeApi", "fc"), ("Gateway:Functions:echo:Command", "/bin/sleep"),
            ("Gateway:Functions:echo:Arguments:0", "600"), ("Gateway:Functions:echo:MaxInstances", "1"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(PullFunction.Name);
        var first = gateway.Client.GetAsync("/echo/first");
        var second = gateway.Client.GetAsync("/echo/second");
        await Eventually.HoldsAsync(() => queue.Queued == 2, Bound);

        // The pushed invocation ends: the slot it frees at the old worker is no launched instance's, and goes to neither.
        worker.Release();
        using (var response = await pushed.WaitAsync(Bound))
        {
            Assert.Equal("pushed", await response.Content.ReadAsStringAsync());
        }

        var instance = Assert.Single(gateway.Pool().Instances);
        using var sdk = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/instances/{instance.Id}/2020-11-11/runtime/invocation/") };
        // Neither was answered meanwhile (a 502, as though the worker had stopped): each waits for the instance, and runs there.
        var waiting = new Dictionary<string, Task<HttpResponseMessage>> { ["/echo/first"] = first, ["/echo/second"] = second };
        while (waiting.Count > 0)
        {
            var poll = sdk.GetAsync("next");
            Assert.Same(poll, await Task.WhenAny([poll, .. waiting.Values]));
            using var taken = await poll;
            var path = JsonDocument.Parse(await taken.Content.ReadAsStringAsync()).RootElement.GetProperty("rawPath").GetString()!;
            using var reply = await sdk.PostAsync(
                $"{taken.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent($$"""{"statusCode":200,"body":"{{path}}"}"""));
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
            Assert.True(waiting.Remove(path, out var request));
            using var response = await request.WaitAsync(Bound);
            Assert.Equal(path, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Takes the pre-stop invocation <paramref name="poll"/> got, in the instance's place, and answers it.</summary>
    private static async Task AnswerPreStopAsync(TakenInvocation taken, Task<HttpResponseMessage> poll)
    {
        using var preStop = await poll.WaitAsync(Bound);
        Assert.Equal(HttpStatusCode.OK, preStop.StatusCode);
        Assert.Equal("2", preStop.Headers.GetValues("x-fc-function-type").Single());
        using var reply = await taken.Sdk.PostAsync($"{preStop.Headers.GetValues("x-fc-request-id").Single()}/response", new StringContent(""));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
    }

    /// <summary>The function launched as <c>/bin/sleep 600</c>, a process that never polls, with a 10-minute timeout.</summary>
    private static GatewayConfiguration SleepingFunction() => PullFunction.Configuration()
        .Set("Gateway:Functions:echo:Command", "/bin/sleep")
        .Set("Gateway:Functions:echo:Arguments:0", "600")
        .Set("Gateway:Functions:echo:Timeout", "00:10:00");

    /// <summary><see cref="SleepingFunction"/> with <c>PreStop</c>, beside a function that stays when an edit removes it.</summary>
    private static GatewayConfiguration SleepingFunctionWithPreStop() => SleepingFunction()
        .Set("Gateway:Functions:echo:PreStop", "true")
        .Set("ReverseProxy:Routes:other:Match:Path", "/other/{**rest}")
        .Set("ReverseProxy:Routes:other:Metadata:FunctionName", "other")
        .Set("Gateway:Functions:other:RuntimeApi", "fc");

    private static Task<TestGateway> StartEditableAsync(EditableConfiguration editable, TimeProvider time) =>
        TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddSingleton(time);
        });

    /// <summary>
    /// Sends a request to <paramref name="path"/> and takes its invocation at the address of the launched instance it
    /// starts (one <paramref name="isNew"/> accepts, when given), in the instance's place.
    /// </summary>
    private static async Task<TakenInvocation> TakeAsync(TestGateway gateway, string path, Func<LaunchedInstance, bool>? isNew = null)
    {
        var request = gateway.Client.GetAsync(path);
        LaunchedInstance? instance = null;
        await Eventually.HoldsAsync(() => (instance = gateway.Pool().Instances.FirstOrDefault(isNew ?? (_ => true))) is not null, Bound);
        var sdk = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/instances/{instance!.Id}/2020-11-11/runtime/invocation/") };
        var taken = await sdk.GetAsync("next").WaitAsync(Bound);
        Assert.Equal(path, JsonDocument.Parse(await taken.Content.ReadAsStringAsync()).RootElement.GetProperty("rawPath").GetString());
        return new TakenInvocation(instance, sdk, taken.Headers.GetValues("x-fc-request-id").Single(), path, request);
    }

    /// <summary>An invocation the test took in place of <paramref name="Instance"/>'s SDK, and the client's request that made it.</summary>
    private sealed record TakenInvocation(LaunchedInstance Instance, HttpClient Sdk, string RequestId, string Path, Task<HttpResponseMessage> Request)
        : IDisposable
    {
        /// <summary>Answers with the path's last segment, as the worker would; returns what the client got.</summary>
        public async Task<string> AnswerAsync()
        {
            var body = Path[(Path.LastIndexOf('/') + 1)..];
            using var reply = await Sdk.PostAsync($"{RequestId}/response", new StringContent($$"""{"statusCode":200,"body":"{{body}}"}"""));
            Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
            using var response = await Request.WaitAsync(Bound);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        public void Dispose() => Sdk.Dispose();
    }
}
