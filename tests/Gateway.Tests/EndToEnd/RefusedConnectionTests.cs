using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A pushed worker whose address refuses the connection: the invocation never reached it, so it goes to another instance
/// of the cluster — before, each invocation sent there was answered 502 until the second failed probe. The same for the
/// <c>/initialize</c> call made before it.
/// </summary>
public sealed class RefusedConnectionTests
{
    /// <summary>Long enough that no probe after the first one at start-up runs during the test.</summary>
    private const string ProbeIntervalPastTheTest = "01:00:00";

    [Fact]
    public async Task OneOfTwoWorkersRefuses_EveryInvocationSucceeds_OnTheWorkerThatListens()
    {
        using var dead = new RefusingAddress();
        await using var worker = await TestWorker.ReturningAsync("up");
        await using var gateway = await TestGateway.StartAsync(TwoWorkers(dead, worker).Values);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await gateway.Client.GetAsync("/echo/")).StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(6, worker.Received.Count);
    }

    [Fact]
    public async Task OneOfTwoWorkersRefusesItsInitializeCall_EveryInvocationSucceeds_OnTheWorkerThatListens()
    {
        using var dead = new RefusingAddress();
        await using var worker = await TestWorker.ReturningAsync("up");
        await using var gateway = await TestGateway.StartAsync(TwoWorkers(dead, worker).Set("Gateway:Functions:echo:Initializer", "true").Values);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await gateway.Client.GetAsync("/echo/")).StatusCode);
        }

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(["/initialize", .. Enumerable.Repeat("/invoke", 6)], worker.Received.Select(request => request.Path));
    }

    [Fact]
    public async Task TheOnlyWorkerRefuses_Is502_WithNoOtherInstanceToTry()
    {
        using var dead = new RefusingAddress();
        await using var gateway = await TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", dead.Url)
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", ProbeIntervalPastTheTest).Values);

        var first = await gateway.Client.GetAsync("/echo/");
        var second = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, second.StatusCode);
    }

    private static GatewayConfiguration TwoWorkers(RefusingAddress dead, TestWorker worker) =>
        new GatewayConfiguration().WithFunction("echo", dead.Url, worker.Url)
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "RoundRobin")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", ProbeIntervalPastTheTest);

}
