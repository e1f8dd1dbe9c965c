using System.Net;
using Gateway.Tests.Infrastructure;
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
        await using var gateway = await PullFunction.StartAsync(c => c
            .Set("Gateway:Functions:echo:Command", "/bin/sh")
            .Set("Gateway:Functions:echo:Arguments:0", "-c")
            .Set("Gateway:Functions:echo:Arguments:1", "trap '' TERM; \"$0\" \"$@\" & wait")
            .Set("Gateway:Functions:echo:Arguments:2", PullFunction.Dotnet)
            .Set("Gateway:Functions:echo:Arguments:3", Path.Combine(AppContext.BaseDirectory, "Samples.dll"))
            .Set("Gateway:Functions:echo:Arguments:4", "http-echo")
            .Set("Gateway:Functions:echo:MaxInstances", "1")
            .Set("Gateway:Functions:echo:IdleTimeout", "00:01:00")
            .Set("Gateway:Functions:echo:StopTimeout", "00:00:05"), time);
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.PostAsync("/echo/", new StringContent("first")).WaitAsync(Bound)).StatusCode);
        var idle = gateway.Pool().InstanceAt(Assert.Single(gateway.Pool().Ready))!;

        time.Advance(TimeSpan.FromMinutes(2));
        await Eventually.HoldsAsync(() => idle.Process.StopRequested, Bound);
        var response = await gateway.Client.PostAsync("/echo/", new StringContent("second")).WaitAsync(Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(idle.Process.Exited.IsCompleted, "a second process started while the one being stopped still ran");
        Assert.NotEqual(idle.Id, Assert.Single(gateway.Pool().Ready).DestinationId);
    }
}
