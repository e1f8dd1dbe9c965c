using System.Net;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using WireMock.RequestBuilders;

namespace Gateway.Tests.EndToEnd;

public sealed class InitializerTests
{
    [Fact]
    public async Task FunctionWithInitializer_IsInitializedOnceBeforeItsFirstInvoke_ConcurrentCallersWait()
    {
        var initializeArrived = new TaskCompletionSource();
        var finishInitialize = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (context, request) =>
        {
            if (request.Path == "/initialize")
            {
                initializeArrived.TrySetResult();
                await finishInitialize.Task;
            }

            await TestWorker.Reply(context, 200, "ok", "200");
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:Initializer", "true"));

        var calls = Enumerable.Range(0, 5).Select(_ => gateway.Client.GetAsync("/echo/")).ToArray();
        await initializeArrived.Task;
        Assert.DoesNotContain(worker.Received, r => r.Path == "/invoke");
        finishInitialize.SetResult();
        var responses = await Task.WhenAll(calls);
        await gateway.Client.GetAsync("/echo/");

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var initialize = Assert.Single(worker.Received, r => r.Path == "/initialize");
        Assert.Equal("/initialize", initialize.Header("x-fc-control-path"));
        Assert.Equal("index.initializer", initialize.Header("x-fc-function-initializer"));
        Assert.Equal(6, worker.Received.Count(r => r.Path == "/invoke"));
    }

    [Fact]
    public async Task FailedInitialization_FailsTheInvocation_AndIsRetriedOnTheNext()
    {
        using var worker = new ScriptedWorker();
        worker.Given(Request.Create().WithPath("/initialize")).InScenario("initializer").WillSetStateTo("failed once")
            .RespondWith(ScriptedWorker.FunctionError("{\"errorMessage\":\"init failed\"}"));
        // Everything else, the retried /initialize included.
        worker.Given(Request.Create()).AtPriority(2).RespondWith(ScriptedWorker.Output("ok"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:Initializer", "true"));

        var first = await gateway.Client.GetAsync("/echo/");
        var second = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertFunctionFailedAsync(first);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, worker.Received.Count(r => r.Path == "/initialize"));
        Assert.Single(worker.Received, r => r.Path == "/invoke");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("init failed"));
    }

    /// <summary>
    /// An error body HttpClient cannot read as text (a charset it does not know) is still a failed initialization: the
    /// invocation fails at once, and the next one initializes again, instead of every invocation waiting out its timeout on
    /// an initialization that never ends.
    /// </summary>
    [Fact]
    public async Task FailedInitialization_WhoseBodyNamesAnUnknownCharset_FailsTheInvocation_AndIsRetriedOnTheNext()
    {
        using var worker = new ScriptedWorker();
        worker.Given(Request.Create().WithPath("/initialize")).InScenario("initializer").WillSetStateTo("failed once")
            .RespondWith(ScriptedWorker.FunctionError("init failed").WithHeader("Content-Type", "text/plain; charset=no-such-charset"));
        worker.Given(Request.Create()).AtPriority(2).RespondWith(ScriptedWorker.Output("ok"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:Initializer", "true"));

        var first = await gateway.Client.GetAsync("/echo/").WaitAsync(TimeSpan.FromSeconds(20));
        var second = await gateway.Client.GetAsync("/echo/").WaitAsync(TimeSpan.FromSeconds(20));

        await ErrorPathTests.AssertFunctionFailedAsync(first);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(2, worker.Received.Count(r => r.Path == "/initialize"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("init failed"));
    }

    [Fact]
    public async Task WorkerWhoseConnectionBroke_IsInitializedAgain_BeforeItsNextInvoke()
    {
        var invokes = 0;
        await using var worker = await TestWorker.StartAsync((context, request) =>
        {
            // The first invoke finds the process crashing: a worker restarted in its place has not run the initializer.
            if (request.Path == "/invoke" && Interlocked.Increment(ref invokes) == 1)
            {
                context.Abort();
                return Task.CompletedTask;
            }

            return TestWorker.Reply(context, 200, "ok", "200");
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:Initializer", "true"));

        var crashed = await gateway.Client.GetAsync("/echo/");
        var next = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertFunctionFailedAsync(crashed);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(["/initialize", "/invoke", "/initialize", "/invoke"], worker.Received.Select(r => r.Path));
    }

    [Fact]
    public async Task WorkerRestartedAtItsAddress_AfterHealthProbesFoundItDown_IsInitializedAgain()
    {
        var worker = await TestWorker.ReturningAsync("first");
        var workerUrl = worker.Url;
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Gateway:Functions:echo:Initializer", "true")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "00:00:00.100"));
        var first = await gateway.Client.GetAsync("/echo/");

        await worker.DisposeAsync();
        await Eventually.HoldsAsync(async () => (await gateway.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable);
        await using var restarted = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 200, "back", fcStatus: "200"), workerUrl);
        await Eventually.HoldsAsync(async () => (await gateway.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK);
        var second = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(["/initialize", "/invoke"], worker.Received.Select(r => r.Path));
        Assert.Equal("back", await second.Content.ReadAsStringAsync());
        Assert.Equal(["/initialize", "/invoke"], restarted.Received.Select(r => r.Path));
    }

    [Fact]
    public async Task WebFunctionWithInitializer_IsInitializedOnceBeforeTheFirstRequestItIsForwarded()
    {
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 200, "ok", fcStatus: null));
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("Gateway:Functions:echo:Initializer", "true"));

        var first = await gateway.Client.GetAsync("/echo/a");
        var second = await gateway.Client.GetAsync("/echo/b");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(["/initialize", "/echo/a", "/echo/b"], worker.Received.Select(r => r.Path));
        var initialize = worker.Received.First();
        Assert.Equal("POST", initialize.Method);
        Assert.Equal("/initialize", initialize.Header("x-fc-control-path"));
        Assert.Equal(first.Headers.GetValues("X-Fc-Request-Id").Single(), initialize.Header("x-fc-request-id"));
    }

    [Fact]
    public async Task WebFunctionWhoseInitializerFails_Returns502_WithoutForwardingTheRequest()
    {
        await using var worker = await TestWorker.StartAsync((context, request) =>
            TestWorker.Reply(context, request.Path == "/initialize" ? 500 : 200, "init failed", fcStatus: null));
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("Gateway:Functions:echo:Initializer", "true"));

        var response = await gateway.Client.GetAsync("/echo/a");

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        Assert.Equal(["/initialize"], worker.Received.Select(r => r.Path));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("init failed"));
    }

    /// <summary>
    /// A reload moves the destination to another worker while a request is held at the first: the first worker's crash
    /// forgets its own initialization, not that of the worker the destination now points at.
    /// </summary>
    [Fact]
    public async Task WebWorkerThatCrashesAfterAReloadMovedItsDestination_ForgetsItsOwnInitialization_NotTheNewAddresss()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var crash = new TaskCompletionSource();
        await using var moved = await TestWorker.StartAsync(async (context, request) =>
        {
            if (request.Path != "/initialize")
            {
                held.SetResult();
                await crash.Task;
                context.Abort();
                return;
            }

            await TestWorker.Reply(context, 200, "", fcStatus: null);
        });
        await using var current = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 200, "ok", fcStatus: null));
        var configuration = new EditableConfiguration(new GatewayConfiguration().WithFunction("echo", moved.Url)
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("Gateway:Functions:echo:Initializer", "true")
            .Set("Gateway:Functions:echo:InstanceConcurrency", "2").Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder => ((IConfigurationBuilder)builder.Configuration).Add(configuration));

        var crashed = gateway.Client.GetAsync("/echo/crash");
        await held.Task;
        configuration.Put("ReverseProxy:Clusters:echo:Destinations:d0:Address", current.Url);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        using var beforeTheCrash = await gateway.Client.GetAsync("/echo/a");
        crash.SetResult();
        await ErrorPathTests.AssertFunctionFailedAsync(await crashed);
        using var afterTheCrash = await gateway.Client.GetAsync("/echo/b");

        Assert.Equal(HttpStatusCode.OK, beforeTheCrash.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterTheCrash.StatusCode);
        Assert.Equal(["/initialize", "/echo/a", "/echo/b"], current.Received.Select(r => r.Path));
    }

    [Fact]
    public async Task FunctionWithoutInitializer_IsNeverInitialized_ItsInvokeStillCarriesTheInitializerHeaders()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:InitializationTimeout", "00:00:12"));

        await gateway.Client.GetAsync("/echo/");

        Assert.DoesNotContain(worker.Received, r => r.Path == "/initialize");
        var invoke = Assert.Single(worker.Received);

        // §2 lists both among the headers of every call: no initializer, an empty name.
        Assert.Equal("", invoke.Header("x-fc-function-initializer"));
        Assert.Equal("12", invoke.Header("x-fc-initialization-timeout"));
    }
}
