using FcGateway.Configuration;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A log level that is no level (<c>"Verbose"</c>, <c>"Warn"</c>): ASP.NET Core throws when it builds the log filters,
/// which crashed start-up with a stack trace and was silently ignored on reload.
/// </summary>
public sealed class LogLevelConfigurationTests
{
    [Fact]
    public async Task ALevelThatIsNoLevel_AtStartUp_IsListedWithTheOtherProblems_NamingItsKey()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("Logging:LogLevel:Default", "Verbose")
            .Set("Logging:Console:LogLevel:Yarp", "Warn")
            .Set("Gateway:Functions:echo:Timeout", "soon");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("Logging:LogLevel:Default: 'Verbose' is not a log level", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Logging:Console:LogLevel:Yarp: 'Warn' is not a log level", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Gateway:Functions:echo:Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ALevelThatIsNoLevel_OnReload_IsRejectedWithTheEdit_AndTheLevelsInForceStay()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Logging:LogLevel:Probe", "Error"));
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();
        var probe = gateway.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Probe");

        configuration["Logging:LogLevel:Probe"] = "Verbose";
        configuration["Gateway:Functions:echo:MemorySize"] = "2048";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force"));

        Assert.True(gateway.Logs.Contains("Logging:LogLevel:Probe: 'Verbose' is not a log level"));
        Assert.False(probe.IsEnabled(LogLevel.Warning));
        Assert.True(probe.IsEnabled(LogLevel.Error));
        await gateway.Client.GetAsync("/echo/");
        Assert.Equal("512", worker.Received.Last().Header("x-fc-function-memory"));
    }

    [Fact]
    public async Task ALevelEditedBesideAProblemElsewhere_StaysAsItWas_UntilAnEditIsAccepted()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Logging:LogLevel:Probe", "Error"));
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();
        var probe = gateway.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Probe");

        configuration["Logging:LogLevel:Probe"] = "Warning";
        configuration["Gateway:Functions:echo:MemorySize"] = "lots";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force"));

        Assert.False(probe.IsEnabled(LogLevel.Warning));

        // The problem mended, the edit is taken whole, its level with it.
        configuration["Gateway:Functions:echo:MemorySize"] = "1024";
        configuration.Reload();
        await Eventually.HoldsAsync(() => probe.IsEnabled(LogLevel.Warning));

        // An edit of the levels alone is taken too.
        configuration["Logging:LogLevel:Probe"] = "Error";
        configuration.Reload();
        await Eventually.HoldsAsync(() => !probe.IsEnabled(LogLevel.Warning));
    }
}
