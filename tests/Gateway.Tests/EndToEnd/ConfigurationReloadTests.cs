using Gateway.Tests.Infrastructure;
using static Gateway.Tests.EndToEnd.ConfigurationEdits;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// What an edit puts in force, and what it says of it: the settings it changed that wait for a restart, the warnings of
/// the configuration in force, a setting that would stop the next start.
/// </summary>
public sealed class ConfigurationReloadTests
{
    /// <summary>
    /// An edit is put in force whole, but some settings are read once at start-up: the log says which of them the edit
    /// changed, so that "now in force" does not hide that they wait for a restart.
    /// </summary>
    [Fact]
    public async Task AnEditOfSettingsReadAtStartUp_IsApplied_AndTheLogNamesEachOneThatWaitsForARestart()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = Root(gateway);

        configuration["Gateway:Functions:echo:MemorySize"] = "2048";
        configuration["Gateway:DrainTimeout"] = "00:00:03";
        configuration["Gateway:RuntimeApi:Urls"] = "http://127.0.0.1:9";
        configuration["OpenTelemetry:Otlp:Endpoint"] = "http://127.0.0.1:9";
        configuration["Urls"] = "http://127.0.0.1:8";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("until the gateway restarts"));

        await gateway.Client.GetAsync("/echo/");
        Assert.Equal("2048", worker.Received.Last().Header("x-fc-function-memory"));
        var line = gateway.Logs.Lines.First(line => line.Contains("until the gateway restarts", StringComparison.Ordinal));
        Assert.Contains("Gateway:DrainTimeout", line, StringComparison.Ordinal);
        Assert.Contains("Gateway:RuntimeApi:Urls", line, StringComparison.Ordinal);
        Assert.Contains("OpenTelemetry", line, StringComparison.Ordinal);
        Assert.Contains(": Urls, ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("MemorySize", line, StringComparison.Ordinal);
    }

    /// <remarks>Such an edit changes nothing in force: it still says what waits for a restart, once however often signalled.</remarks>
    [Fact]
    public async Task AnEditOfUrlsAlone_NamesItAsWaitingForARestart_Once()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Logging:LogLevel:FcGateway.Configuration.GatewayProxyConfigProvider", "Debug"));
        var configuration = Root(gateway);

        configuration["Urls"] = "http://127.0.0.1:9";
        configuration.Reload();
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("until the gateway restarts: Urls."));
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Count(line => line.Contains("equal those in force", StringComparison.Ordinal)) >= 2);

        Assert.Single(gateway.Logs.Lines, line => line.Contains("until the gateway restarts", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("is now in force", StringComparison.Ordinal));
    }

    /// <remarks>
    /// The warnings of a configuration (a function without settings, a cluster without destinations) are about the one
    /// in force: a save that leaves it as it is (a <c>touch</c>, an edit of another section) or an edit that is rejected
    /// does not repeat them; an edit taken says those of what it puts in force.
    /// </remarks>
    [Fact]
    public async Task TheWarningsOfTheConfigurationInForce_AreNotRepeatedByASaveThatKeepsIt_NorByARejectedEdit()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, "ech0", c => c
            .Set("Logging:LogLevel:FcGateway.Configuration.GatewayProxyConfigProvider", "Debug"));
        var configuration = Root(gateway);
        const string Warning = "no Gateway:Functions:ech0 entry";

        configuration["AllowedHostsTypo"] = "outside the judged sections";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("equal those in force"));
        await ReloadRejectedAsync(gateway, ("Gateway:Limits:MaxRequestBodyBytes", "lots"));
        Assert.Single(gateway.Logs.Lines, line => line.Contains(Warning, StringComparison.Ordinal));

        configuration["Gateway:Limits:MaxRequestBodyBytes"] = "1048576";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        Assert.Equal(2, gateway.Logs.Lines.Count(line => line.Contains(Warning, StringComparison.Ordinal)));
    }

    /// <summary>The telemetry settings are read at start-up only, but an edit that would stop the next start is refused now.</summary>
    [Fact]
    public async Task AnInvalidTelemetrySetting_IsRejectedWithTheEdit_NamingIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await ReloadRejectedAsync(
            gateway,
            ("Gateway:Functions:echo:MemorySize", "2048"),
            ("OpenTelemetry:Otlp:Endpoint", "otel-collector:4317"));

        Assert.True(gateway.Logs.Contains("OpenTelemetry:Otlp:Endpoint"));
        await gateway.Client.GetAsync("/echo/");
        Assert.Equal("512", worker.Received.Last().Header("x-fc-function-memory"));
    }
}
