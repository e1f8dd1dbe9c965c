using System.Net;
using Gateway.Tests.Infrastructure;
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
