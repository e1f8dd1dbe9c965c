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

    /// <summary>The process group id, the fifth field of <c>/proc/{pid}/stat</c> (after the name, which may hold spaces, in parentheses).</summary>
    private static int ProcessGroupOf(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
    }
}
