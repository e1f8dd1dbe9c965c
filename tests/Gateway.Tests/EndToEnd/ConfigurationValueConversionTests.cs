using System.Net;
using FcGateway.Configuration;
using Gateway.Tests.Infrastructure;
using static Gateway.Tests.EndToEnd.ConfigurationEdits;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A configuration value that does not convert to its setting's type is a problem like any other, named with its key,
/// at start-up and on reload, and does not hide the configuration's other problems.
/// </summary>
public sealed class ConfigurationValueConversionTests
{
    [Fact]
    public async Task AValidGatewayEdit_BesideAReverseProxyValueThatDoesNotConvert_IsNotApplied_AndTheLogNamesTheCluster()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await ReloadRejectedAsync(
            gateway,
            ("Gateway:Triggers:echo:Methods:0", "POST"),
            ("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "xx"));

        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/")).StatusCode);
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("ReverseProxy:Clusters:echo:", StringComparison.Ordinal) && line.Contains("'xx'", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AValueThatDoesNotConvert_AtStartUp_IsListedWithTheOtherProblems_NamingItsCluster()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "xx")
            .Set("Gateway:Functions:echo:Timeout", "soon");

        var problems = await ProblemsAtStartUpAsync(config);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("ReverseProxy:Clusters:echo:", StringComparison.Ordinal) && p.Contains("'xx'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Gateway:Functions:echo:Timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClusterValueThatDoesNotConvert_AtStartUp_DoesNotHideTheRoutesProblems()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "xx")
            .Set("ReverseProxy:Routes:orphan:ClusterId", "echo")
            .Set("ReverseProxy:Routes:orphan:Match:Path", "/orphan/{**rest}");

        var problems = await ProblemsAtStartUpAsync(config);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("ReverseProxy:Clusters:echo:", StringComparison.Ordinal) && p.Contains("'xx'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Route 'orphan' has no function", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClusterValueThatDoesNotConvert_AtStartUp_DoesNotHideItsDestinationsProblems()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "127.0.0.1:9")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "xx");

        var problems = await ProblemsAtStartUpAsync(config);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("ReverseProxy:Clusters:echo:", StringComparison.Ordinal) && p.Contains("'xx'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Cluster 'echo' destination", StringComparison.Ordinal) && p.Contains("'127.0.0.1:9'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARouteValueThatDoesNotConvert_AtStartUp_DoesNotHideTheOtherRoutesProblems()
    {
        var config = new GatewayConfiguration()
            .WithFunction("echo", "http://127.0.0.1:9")
            .Set("ReverseProxy:Routes:echo:Order", "x")
            .Set("ReverseProxy:Routes:orphan:ClusterId", "echo")
            .Set("ReverseProxy:Routes:orphan:Match:Path", "/orphan/{**rest}")
            .Set("ReverseProxy:Routes:lost:ClusterId", "missing")
            .Set("ReverseProxy:Routes:lost:Match:Path", "/lost/{**rest}")
            .Set("ReverseProxy:Routes:lost:Metadata:FunctionName", "echo");

        var problems = await ProblemsAtStartUpAsync(config);

        Assert.Equal(3, problems.Count);
        Assert.Contains("ReverseProxy:Routes:echo:Order: 'x' is not a whole number.", problems);
        Assert.Contains(problems, p => p.StartsWith("Route 'orphan' has no function", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Route 'lost' refers to cluster 'missing'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARouteValueThatDoesNotConvert_OnReload_DoesNotHideTheOtherRoutesProblems()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await ReloadRejectedAsync(
            gateway,
            ("ReverseProxy:Routes:echo:Order", "x"),
            ("ReverseProxy:Routes:orphan:ClusterId", "echo"),
            ("ReverseProxy:Routes:orphan:Match:Path", "/orphan/{**rest}"));

        Assert.True(gateway.Logs.Contains("2 problem(s)"));
        Assert.True(gateway.Logs.Contains("ReverseProxy:Routes:echo:Order: 'x' is not a whole number."));
        Assert.True(gateway.Logs.Contains("Route 'orphan' has no function"));
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("/echo/")).StatusCode);
    }

    /// <summary>The problems for which a gateway given <paramref name="config"/> refuses to start.</summary>
    private static async Task<IReadOnlyList<string>> ProblemsAtStartUpAsync(GatewayConfiguration config) =>
        (await Assert.ThrowsAsync<GatewayConfigurationException>(() => TestGateway.StartAsync(config.Values))).Problems;
}
