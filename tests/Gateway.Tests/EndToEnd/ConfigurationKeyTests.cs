using FcGateway.Configuration;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

/// <summary>Typos in <c>Gateway</c>, <c>ReverseProxy</c> and <c>Kestrel</c> keys and function names, at start-up and on reload.</summary>
public sealed class ConfigurationKeyTests
{
    [Fact]
    public async Task UnknownKeys_StopStartUp_NamingEachKeyAndTheValidOnes()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("Gateway:Functions:echo:InstanceConcurency", "4")
            .Set("Gateway:RejectClientFcHeader", "true");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("Gateway:Functions:echo:InstanceConcurency: unknown setting", StringComparison.Ordinal) && p.Contains("InstanceConcurrency", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Gateway:RejectClientFcHeader: unknown setting", StringComparison.Ordinal) && p.Contains("RejectClientFcHeaders", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownKeyOnReload_IsRejected_AndTheLastGoodSettingsStay()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:MemorySize", "1024"));
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();

        configuration["Gateway:Functions:echo:MemorySize"] = "2048";
        configuration["Gateway:Functions:echo:InstanceConcurency"] = "4";
        configuration.Reload();

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force"));
        Assert.True(gateway.Logs.Contains("Gateway:Functions:echo:InstanceConcurency: unknown setting"));
        await gateway.Client.GetAsync("/echo/");
        Assert.Equal("1024", worker.Received.Last().Header("x-fc-function-memory"));
    }

    [Fact]
    public async Task UnknownReverseProxyKeys_StopStartUp_BesideTheProblemsOfTheRoutes()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("ReverseProxy:Routes:echo:Match:Methods", "GET")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Enabld", "false")
            .Set("ReverseProxy:Routes:orphan:ClusterId", "missing")
            .Set("ReverseProxy:Routes:orphan:Match:Pathh", "/orphan")
            .Set("ReverseProxy:Routes:orphan:Match:Path", "/orphan")
            .Set("ReverseProxy:Routes:orphan:Metadata:FunctionName", "echo");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Contains(error.Problems, p => p.StartsWith("ReverseProxy:Routes:echo:Match:Methods: must be a list", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("ReverseProxy:Clusters:echo:HealthCheck:Active:Enabld: unknown setting", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("ReverseProxy:Routes:orphan:Match:Pathh: unknown setting", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("Route 'orphan' refers to cluster 'missing'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownReverseProxyKeyOnReload_IsRejected_AndTheLastGoodRoutesStay()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();

        configuration["ReverseProxy:Routes:echo:Match:Path"] = "/moved/{**rest}";
        configuration["ReverseProxy:Routes:echo:Match:Methodz:0"] = "POST";
        configuration.Reload();

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force"));
        Assert.True(gateway.Logs.Contains("ReverseProxy:Routes:echo:Match:Methodz: unknown setting"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/")).StatusCode);
    }

    [Fact]
    public async Task UnknownKestrelKeyOnReload_IsRejected_AndTheLastGoodSettingsStay()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:MemorySize", "1024"));
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();

        configuration["Gateway:Functions:echo:MemorySize"] = "2048";
        configuration["Kestrel:EndpointDefaults:Protocol"] = "Http2";
        configuration.Reload();

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force"));
        Assert.True(gateway.Logs.Contains("Kestrel:EndpointDefaults:Protocol: unknown setting"));
        await gateway.Client.GetAsync("/echo/");
        Assert.Equal("1024", worker.Received.Last().Header("x-fc-function-memory"));
    }

    [Fact]
    public async Task InvalidOpenTelemetrySection_IsReportedBesideTheOtherProblems_NotAlone()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("Gateway:RejectClientFcHeader", "true")
            .Set("ReverseProxy:Routes:echo:ClusterId", "missing")
            .Set("OpenTelemetry:Traces:Enabled", "maybe");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("Gateway:RejectClientFcHeader: unknown setting", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("Route 'echo' refers to cluster 'missing'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("OpenTelemetry:Traces:Enabled is 'maybe'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ClusterWithoutDestinations_WarnsOnceNamingIt()
    {
        var config = new GatewayConfiguration().WithFunction("echo")
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "RoundRobin")
            .Set("ReverseProxy:Routes:second:ClusterId", "echo")
            .Set("ReverseProxy:Routes:second:Match:Path", "/second")
            .Set("ReverseProxy:Routes:second:Metadata:FunctionName", "echo");

        await using var gateway = await TestGateway.StartAsync(config.Values);

        var warning = Assert.Single(gateway.Logs.Lines, line => line.Contains("Cluster 'echo' has no destinations", StringComparison.Ordinal));
        Assert.Contains("ReverseProxy:Clusters:echo:Destinations:<name>:Address", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFunctionNoRouteNames_IsWarnedOf_AsTheInvocationApiCannotReachIt()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, "echo", c => c
            .Set("Gateway:Functions:orders:RuntimeApi", "lambda"));

        var warning = Assert.Single(gateway.Logs.Lines, line => line.Contains("Function 'orders' has a Gateway:Functions:orders entry but no route names it", StringComparison.Ordinal));
        Assert.Contains("Metadata:FunctionName 'orders'", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Function 'echo' has a Gateway:Functions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RouteToAFunctionWithoutSettings_WarnsOnceWithTheDefaults()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, "ech0", c => c
            .Set("ReverseProxy:Routes:second:ClusterId", "ech0")
            .Set("ReverseProxy:Routes:second:Match:Path", "/second")
            .Set("ReverseProxy:Routes:second:Metadata:FunctionName", "ech0"));

        var warning = Assert.Single(gateway.Logs.Lines, line => line.Contains("no Gateway:Functions:ech0 entry", StringComparison.Ordinal));
        Assert.Contains("Timeout 00:01:00", warning, StringComparison.Ordinal);
        Assert.Contains("InstanceConcurrency 1", warning, StringComparison.Ordinal);
        Assert.Contains("MaxQueueLength 100", warning, StringComparison.Ordinal);
    }
}
