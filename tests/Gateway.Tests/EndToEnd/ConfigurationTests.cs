using System.Net;
using FcGateway.Configuration;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task InvalidConfiguration_StopsStartUp_ListingEveryProblem()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("ReverseProxy:Routes:orphan:ClusterId", "echo")
            .Set("ReverseProxy:Routes:orphan:Match:Path", "/orphan")
            .Set("ReverseProxy:Routes:web:ClusterId", "missing")
            .Set("ReverseProxy:Routes:web:Match:Path", "/web")
            .Set("ReverseProxy:Routes:web:Metadata:FunctionName", "web")
            .Set("ReverseProxy:Routes:web:Metadata:TriggerMode", "websocket")
            .Set("Gateway:ForwardedHeaders:TrustedProxies:0", "10.0.0.0/33")
            .Set("Gateway:Limits:MaxRequestBodyBytes", "-1")
            .Set("Gateway:Functions:echo:Timeout", "soon");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Equal(6, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Contains("Route 'orphan' has no function", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("TriggerMode 'websocket'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("cluster 'missing'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("10.0.0.0/33", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("Gateway:Limits:MaxRequestBodyBytes", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("Gateway:Functions:echo:Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TriggerSettingsForAMissingRoute_StopStartUp()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("Gateway:Triggers:ecoh:AuthType", "anonymous");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Contains("Gateway:Triggers:ecoh configures route 'ecoh', which does not exist", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DestinationAddressNotHttpUrl_IsListedWithTheOtherProblems()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "not a url")
            .WithFunction("ftp", "ftp://127.0.0.1:1")
            .Set("Gateway:Functions:echo:Timeout", "soon");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("Cluster 'echo' destination 'd0': Address 'not a url'", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Cluster 'ftp' destination 'd0': Address 'ftp://127.0.0.1:1'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RoutesNothingTellsApart_AreListedWithTheOtherProblems()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .WithFunction("other", "http://127.0.0.1:9")
            .Set("ReverseProxy:Routes:echo:Match:Path", "/same/{**rest}")
            .Set("ReverseProxy:Routes:other:Match:Path", "/same/{**rest}")
            .Set("Gateway:Functions:echo:Timeout", "soon");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("Routes 'echo' and 'other' match the same requests", StringComparison.Ordinal));
    }

    [Fact]
    public async Task YarpRuleViolations_AreListedWithTheGatewayProblems()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("ReverseProxy:Routes:echo:Match:Path", null)
            .Set("Gateway:Limits:MaxResponseBodyBytes", "zero");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Equal(2, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Contains("echo", StringComparison.Ordinal) && p.Contains("Path", StringComparison.Ordinal));
    }

    [Fact]
    public async Task YarpProblemsThatDoNotNameTheirRoute_AreListedUnderIt()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("ReverseProxy:Routes:echo:Transforms:0:PathRemovePrefx", "/echo");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Equal("Route 'echo': Unknown transform: PathRemovePrefx", Assert.Single(error.Problems));
    }

    [Fact]
    public async Task Reload_AppliesValidChanges_AndKeepsTheLastGoodConfigurationOnInvalidOnes()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var configuration = (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();

        configuration["Gateway:Functions:echo:MemorySize"] = "2048";
        configuration["ReverseProxy:Routes:echo:Match:Path"] = "/renamed/{**rest}";
        configuration.Reload();
        await Eventually.HoldsAsync(async () => (await gateway.Client.GetAsync("/renamed/")).StatusCode == HttpStatusCode.OK);
        Assert.Equal("2048", worker.Received.Last().Header("x-fc-function-memory"));

        configuration["Gateway:Functions:echo:MemorySize"] = "lots";
        configuration["ReverseProxy:Routes:echo:Metadata:FunctionName"] = "";
        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force"));

        var response = await gateway.Client.GetAsync("/renamed/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("2048", worker.Received.Last().Header("x-fc-function-memory"));
        Assert.True(gateway.Logs.Contains("Gateway:Functions:echo:MemorySize"));
        Assert.True(gateway.Logs.Contains("Route 'echo' has no function"));
    }
}
