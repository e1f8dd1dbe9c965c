using System.Net;
using System.Net.Sockets;
using FcGateway;
using FcGateway.Configuration;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RuntimeApi;

/// <summary>Start-up checks of pull functions and of the runtime API listener.</summary>
public sealed class RuntimeApiConfigurationTests
{
    [Fact]
    public async Task ARouteWithoutACluster_ForAPushedFunction_StopsStartUp()
    {
        var config = PullFunction.Configuration().Set("Gateway:Functions:echo:RuntimeApi", null);

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Contains(error.Problems, p => p.Contains("Route 'echo' has no ClusterId", StringComparison.Ordinal) && p.Contains("RuntimeApi", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AWebTrigger_ForAPullFunction_StopsStartUp()
    {
        var config = PullFunction.Configuration().Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Contains(error.Problems, p => p.Contains("Route 'echo' is a web trigger", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Gateway:Functions:echo:RuntimeApi", "lambada", "is not one of fc, lambda")]
    [InlineData("Gateway:RuntimeApi:Urls", "127.0.0.1:9500", "is not an address to listen on")]
    [InlineData("Gateway:RuntimeApi:Url", "http://127.0.0.1:0", "unknown setting")]
    public async Task BadRuntimeApiSettings_StopStartUp_NamingTheKey(string key, string value, string problem)
    {
        var config = PullFunction.Configuration().Set(key, value);

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Contains(error.Problems, p => p.StartsWith(key, StringComparison.Ordinal) && p.Contains(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Gateway:Functions:echo:Initializer", "initializes in its process")]
    [InlineData("Gateway:Functions:echo:PreStop", "no pre-stop invocation")]
    public async Task FcLifecycleSettingsOnALambdaFunction_StopStartUp(string key, string problem)
    {
        var config = PullFunction.Configuration().Set("Gateway:Functions:echo:RuntimeApi", "lambda").Set(key, "true");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Contains(error.Problems, p => p.StartsWith(key, StringComparison.Ordinal) && p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARuntimeApiPortInUse_StopsStartUp_WithOneLineSayingWhatToChange()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var config = PullFunction.Configuration().Set("Gateway:RuntimeApi:Urls", $"http://127.0.0.1:{port}");

        var error = await Assert.ThrowsAsync<GatewayStartupException>(() => TestGateway.StartAsync(config.Values));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Gateway:RuntimeApi:Urls", error.Message, StringComparison.Ordinal);
    }
}
