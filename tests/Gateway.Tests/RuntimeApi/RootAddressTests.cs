using System.Net;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// Workers given only <c>host:port</c> (as on Lambda and FC, where the address is the function's alone) poll the shared
/// listener's root: it serves the only function pulling with their protocol, and refuses with the reason otherwise.
/// </summary>
public sealed class RootAddressTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheRoot_ServesTheOnlyFunctionOfEachProtocol_ALambdaOneAndAnFcOne()
    {
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("ReverseProxy:Routes:lambda:Match:Path", "/lambda/{**rest}")
            .Set("ReverseProxy:Routes:lambda:Metadata:FunctionName", "lambda")
            .Set("Gateway:Functions:lambda:RuntimeApi", "lambda"));
        var root = RootOf(gateway);
        await using var fcWorker = PullingWorker.Start(root, _ => Task.FromResult("""{"statusCode":200,"body":"from fc"}"""u8.ToArray()));
        using var lambdaRuntime = LambdaFunction.RuntimeClient(root);

        var lambdaCalled = gateway.Client.GetAsync("/lambda/x");
        using var next = await lambdaRuntime.GetAsync("invocation/next").WaitAsync(Bound);
        var id = next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single();
        using var reply = await lambdaRuntime.PostAsync($"invocation/{id}/response", new StringContent("""{"statusCode":200,"body":"from lambda"}"""));
        using var lambdaResponse = await lambdaCalled.WaitAsync(Bound);
        using var fcResponse = await gateway.Client.GetAsync("/echo/x").WaitAsync(Bound);

        Assert.Equal("arn:aws:lambda:cn-test:1234567890:function:lambda", next.Headers.GetValues(LambdaRuntimeApiWire.FunctionArnHeader).Single());
        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal("from lambda", await lambdaResponse.Content.ReadAsStringAsync());
        Assert.Equal("from fc", await fcResponse.Content.ReadAsStringAsync());
        Assert.Equal("echo", Assert.Single(fcWorker.Received).Headers["x-fc-function-name"]);
    }

    [Fact]
    public async Task TheRoot_WithTwoFunctionsOfTheProtocol_Is404_AfterThePause_NamingBoth_AndTakesNothing()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:other:RuntimeApi", "lambda"), time);
        using var runtime = LambdaFunction.RuntimeClient(RootOf(gateway));
        var waiting = gateway.Client.GetAsync("/echo/");

        using var refused = await RefusedAfterThePauseAsync(runtime.GetAsync("invocation/next"), time);
        var message = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("Functions echo, other pull with this runtime API (/2018-06-01/runtime)", message, StringComparison.Ordinal);
        Assert.Contains("<host:port>/functions/<name>", message, StringComparison.Ordinal);
        Assert.False(waiting.IsCompleted);
    }

    /// <summary>The README's advice for a client that keeps only host:port: give one function a port of its own, and the root serves the other.</summary>
    [Fact]
    public async Task AFunctionWithAPortOfItsOwn_DoesNotCount_SoTheRootServesTheOtherFunctionOfTheProtocol()
    {
        await using var gateway = await LambdaFunction.StartAsync(c => c
            .Set("Gateway:Functions:other:RuntimeApi", "lambda")
            .Set("Gateway:Functions:other:RuntimeApiUrl", "http://127.0.0.1:0"));
        using var runtime = LambdaFunction.RuntimeClient(RootOf(gateway));

        var called = gateway.Client.GetAsync("/echo/");
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        using var reply = await runtime.PostAsync($"invocation/{next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single()}/response", new StringContent("{}"));

        Assert.EndsWith(":function:echo", next.Headers.GetValues(LambdaRuntimeApiWire.FunctionArnHeader).Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await called.WaitAsync(Bound)).StatusCode);
    }

    [Fact]
    public async Task TheRoot_WhenTheOnlyFunctionOfTheProtocolHasAPortOfItsOwn_Is404_NamingThatFunction()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:echo:RuntimeApiUrl", "http://127.0.0.1:0"), time);
        using var runtime = LambdaFunction.RuntimeClient(RootOf(gateway));

        using var refused = await RefusedAfterThePauseAsync(runtime.GetAsync("invocation/next"), time);

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("Functions echo pull with this runtime API (/2018-06-01/runtime) at ports of their own", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRoot_IsDecidedAtStartUp_AReloadAddingAFunctionOfTheProtocolKeepsItServingTheFirst()
    {
        await using var gateway = await LambdaFunction.StartAsync();
        using var runtime = LambdaFunction.RuntimeClient(RootOf(gateway));
        var configuration = (Microsoft.Extensions.Configuration.IConfigurationRoot)gateway.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        configuration["Gateway:Functions:other:RuntimeApi"] = "lambda";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));

        var called = gateway.Client.GetAsync("/echo/");
        using var next = await runtime.GetAsync("invocation/next").WaitAsync(Bound);
        using var reply = await runtime.PostAsync($"invocation/{next.Headers.GetValues(LambdaRuntimeApiWire.RequestIdHeader).Single()}/response", new StringContent("{}"));

        Assert.EndsWith(":function:echo", next.Headers.GetValues(LambdaRuntimeApiWire.FunctionArnHeader).Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await called.WaitAsync(Bound)).StatusCode);
    }

    [Fact]
    public async Task AReplyAtARootThatServesNoFunction_Is404AtOnce_WithoutThePollsPause()
    {
        await using var gateway = await LambdaFunction.StartAsync(c => c.Set("Gateway:Functions:other:RuntimeApi", "lambda"), new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var runtime = LambdaFunction.RuntimeClient(RootOf(gateway));

        using var refused = await runtime.PostAsync("invocation/some-id/response", new StringContent("{}")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("Functions echo, other", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRoot_WithNoFunctionOfTheProtocol_Is404_SayingWhichRuntimeApiToSet()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await PullFunction.StartAsync(timeProvider: time);
        using var runtime = LambdaFunction.RuntimeClient(RootOf(gateway));

        using var refused = await RefusedAfterThePauseAsync(runtime.PostAsync("init/error", new StringContent("{}")), time);

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("set a function's RuntimeApi to lambda", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>The runtime API's <c>host:port</c>, with no function's prefix.</summary>
    private static string RootOf(TestGateway gateway) => gateway.Services.GetRequiredService<RuntimeApiServer>().Address!.Authority;

    private static async Task<HttpResponseMessage> RefusedAfterThePauseAsync(Task<HttpResponseMessage> request, FakeTimeProvider time)
    {
        await Eventually.HoldsAsync(async () =>
        {
            time.Advance(RuntimeApiEndpoints.RefusedPollDelay);
            return await Task.WhenAny(request, Task.Delay(50)) == request;
        });

        return await request;
    }
}
