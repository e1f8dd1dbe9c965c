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
    public async Task ARouteWithACluster_ForAPullFunction_StopsStartUp()
    {
        var config = PullFunction.Configuration()
            .Set("ReverseProxy:Routes:echo:ClusterId", "echo")
            .Set("ReverseProxy:Clusters:echo:Destinations:one:Address", "http://127.0.0.1:9");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Contains(error.Problems, p => p.Contains("Route 'echo' has ClusterId 'echo', but function 'echo' pulls its invocations", StringComparison.Ordinal));
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
    [InlineData("Gateway:RuntimeApi:Urls", "http://127.0.0.l:9500", "'127.0.0.l' is neither an IP address nor localhost, for which the runtime API would listen on every interface")]
    [InlineData("Gateway:RuntimeApi:Urls", "http://127.0.0.1:0;http://gateway.example:9500", "'gateway.example' is neither an IP address nor localhost")]
    [InlineData("Gateway:RuntimeApi:Url", "http://127.0.0.1:0", "unknown setting")]
    [InlineData("Gateway:Functions:echo:RuntimeApiUrl", "127.0.0.1:9511", "is not an address to listen on")]
    [InlineData("Gateway:Functions:echo:RuntimeApiUrl", "http://gateway.example:9511", "is not an address to listen on")]
    [InlineData("Gateway:Functions:echo:RuntimeApiUrl", "https://127.0.0.1:9511", "is not an address to listen on")]
    [InlineData("Gateway:Functions:echo:RuntimeApiUrl", "http://127.0.0.1:9511/functions/echo", "is not an address to listen on")]
    public async Task BadRuntimeApiSettings_StopStartUp_NamingTheKey(string key, string value, string problem)
    {
        var config = PullFunction.Configuration().Set(key, value);

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Contains(error.Problems, p => p.StartsWith(key, StringComparison.Ordinal) && p.Contains(problem, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("fc", "1.0", "only a Lambda function (RuntimeApi lambda) has a payload format version")]
    [InlineData("lambda", "1", "'1' is not one of 1.0 (API Gateway's REST API proxy event), 2.0")]
    [InlineData("lambda", "v2", "'v2' is not one of 1.0")]
    public async Task ABadPayloadFormatVersion_StopsStartUp_NamingTheKey(string runtimeApi, string value, string problem)
    {
        const string Key = "Gateway:Functions:echo:PayloadFormatVersion";
        var config = PullFunction.Configuration().Set("Gateway:Functions:echo:RuntimeApi", runtimeApi).Set(Key, value);

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Contains(error.Problems, p => p.StartsWith(Key, StringComparison.Ordinal) && p.Contains(problem, StringComparison.Ordinal));
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

    [Fact]
    public async Task ARuntimeApiUrl_OnAPushedOrLaunchedFunction_OrTheSamePortForTwoFunctions_StopsStartUp_ListingEach()
    {
        var config = PullFunction.Configuration()
            .Set("Gateway:Functions:echo:RuntimeApiUrl", "http://127.0.0.1:9511")
            .Set("Gateway:Functions:other:RuntimeApi", "lambda")
            .Set("Gateway:Functions:other:RuntimeApiUrl", "http://127.0.0.1:9511")
            .Set("Gateway:Functions:pushed:RuntimeApiUrl", "http://127.0.0.1:9512")
            .Set("Gateway:Functions:launched:RuntimeApi", "lambda")
            .Set("Gateway:Functions:launched:Command", "/bin/sh")
            .Set("Gateway:Functions:launched:RuntimeApiUrl", "http://127.0.0.1:9513");

        var error = await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values));

        Assert.Contains(error.Problems, p => p.StartsWith("Gateway:Functions:other:RuntimeApiUrl", StringComparison.Ordinal) && p.Contains("an address Gateway:Functions:echo:RuntimeApiUrl listens on too", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Gateway:Functions:pushed:RuntimeApiUrl", StringComparison.Ordinal) && p.Contains("set Gateway:Functions:pushed:RuntimeApi", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.StartsWith("Gateway:Functions:launched:RuntimeApiUrl", StringComparison.Ordinal) && p.Contains("Command", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFunctionsRuntimeApiPortInUse_StopsStartUp_WithOneLineNamingTheKey()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var config = PullFunction.Configuration().Set("Gateway:Functions:echo:RuntimeApiUrl", $"http://127.0.0.1:{port}");

        var error = await Assert.ThrowsAsync<GatewayStartupException>(() => TestGateway.StartAsync(config.Values));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains($"Gateway:Functions:echo:RuntimeApiUrl: cannot listen on 127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }
}
