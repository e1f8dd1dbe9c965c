using FcGateway.Configuration;
using FcGateway.Launch;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Tests.Launch;

/// <summary>Real processes (<c>/bin/sh</c> scripts); each test stops what it starts.</summary>
public sealed class LaunchedProcessesTests
{
    private const string HandlesSigterm = "trap 'exit 0' TERM; echo ready; while :; do sleep 0.1; done";
    private const string IgnoresSigterm = "trap '' TERM; echo ready; while :; do sleep 0.1; done";
    private static readonly Dictionary<string, string> NoVariables = [];

    [Fact]
    public async Task StopAsync_RunningProcesses_EveryOneStoppedAndReapedBeforeItReturns()
    {
        var logs = new CapturedLogs();
        using var loggers = new LoggerFactory([logs]);
        var launched = new LaunchedProcesses(loggers, loggers.CreateLogger<LaunchedProcesses>());
        var polite = launched.Start("polite", "i-1", Shell(HandlesSigterm), NoVariables);
        var stubborn = launched.Start("stubborn", "i-2", Shell(IgnoresSigterm) with { StopTimeout = TimeSpan.FromMilliseconds(200) }, NoVariables);
        await Eventually.HoldsAsync(() => logs.Contains("polite i-1 stdout: ready") && logs.Contains("stubborn i-2 stdout: ready"));

        await launched.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(polite.Exited.IsCompletedSuccessfully);
        Assert.True(stubborn.Exited.IsCompletedSuccessfully);
        Assert.Equal(0, await polite.Exited);
        Assert.Equal(128 + 9, await stubborn.Exited);
        Assert.True(logs.Contains("Stopping 2 function process(es)"));
    }

    [Fact]
    public async Task Start_WithoutSetpriv_SaysOnceAtTheFirstLaunchThatAKilledGatewayLeavesItsInstances()
    {
        var logs = new CapturedLogs();
        using var loggers = new LoggerFactory([logs]);
        await using var launched = new LaunchedProcesses(loggers, loggers.CreateLogger<LaunchedProcesses>(), new ProcessStarter(setpriv: null));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("will not be stopped", StringComparison.Ordinal));

        launched.Start("first", "i-1", Shell("exit 0"), NoVariables);
        launched.Start("second", "i-2", Shell("exit 0"), NoVariables);

        Assert.Single(logs.Lines, line => line.Contains("Launched instances will not be stopped if the gateway is killed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_ThroughSetpriv_SaysNothingOfAKilledGateway()
    {
        var logs = new CapturedLogs();
        using var loggers = new LoggerFactory([logs]);
        await using var launched = new LaunchedProcesses(loggers, loggers.CreateLogger<LaunchedProcesses>());

        launched.Start("first", "i-1", Shell("exit 0"), NoVariables);

        Assert.DoesNotContain(logs.Lines, line => line.Contains("will not be stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Start_WhileStopping_Refused()
    {
        var launched = new LaunchedProcesses(NullLoggerFactory.Instance, NullLogger<LaunchedProcesses>.Instance);
        await launched.StopAsync(CancellationToken.None);

        var error = Assert.Throws<InvalidOperationException>(() => launched.Start("echo", "i-1", Shell("exit 0"), NoVariables));

        Assert.Contains("Function 'echo'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_StopAsync_StopsTheProcessesItLaunched()
    {
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9").Values);
        var process = gateway.Services.GetRequiredService<LaunchedProcesses>().Start("echo", "i-1", Shell(HandlesSigterm), NoVariables);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("echo i-1 stdout: ready"));

        await gateway.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(process.Exited.IsCompletedSuccessfully);
        Assert.Equal(0, await process.Exited);
    }

    [Fact]
    public async Task Gateway_HostedServices_ServerStopsBeforeTheLaunchedProcesses()
    {
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", "http://127.0.0.1:9").Values);

        // The host stops its services in the reverse of their order: Kestrel drains in-flight invocations, then the
        // processes that run them are stopped.
        var services = gateway.Services.GetServices<IHostedService>().ToList();
        var launched = services.FindIndex(service => service is LaunchedProcesses);
        var server = services.FindIndex(service => service.GetType().Name == "GenericWebHostService");
        Assert.InRange(launched, 0, server - 1);
    }

    private static FunctionLaunchSettings Shell(string script) => new() { Command = "/bin/sh", Arguments = ["-c", script] };
}
