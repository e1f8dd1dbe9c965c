using System.Net;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// A lifecycle invocation (the initializer here; the pre-stop alike) that does not answer within its timeout fails the
/// instance's start, and the timeout is observed where it is handled: nothing is left for the unobserved-task handler.
/// Alone, so that no other test's garbage is collected with this one's.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class LaunchedInstanceLifecycleTimeoutTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AnInitializerThatDoesNotAnswerInTime_FailsTheStart_LeavingNoUnobservedException()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/sleep")
            .Set("Gateway:Functions:echo:Arguments:0", "600")
            .Set("Gateway:Functions:echo:Initializer", "true")
            .Set("Gateway:Functions:echo:InitializationTimeout", "00:00:05")
            .Set("Gateway:Functions:echo:QueueTimeout", "00:10:00"), time);
        using var unobserved = new UnobservedTaskExceptions();
        var waiting = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => gateway.Pool().Instances.Count == 1, Bound);
        var instance = gateway.Pool().Instances[0];
        using var sdk = new HttpClient { BaseAddress = new Uri($"http://{gateway.RuntimeApi()}/instances/{instance.Id}/2020-11-11/runtime/invocation/") };
        using var initializer = await sdk.GetAsync("next").WaitAsync(Bound);
        Assert.Equal("1", initializer.Headers.GetValues("x-fc-function-type").Single());

        time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.BadGateway, (await waiting.WaitAsync(Bound)).StatusCode);
        await instance.Process.Exited.WaitAsync(Bound);
        Assert.DoesNotContain(unobserved.Collected(), exception => exception is TimeoutException);
    }
}
