using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

public sealed class ResilienceTests
{
    [Fact]
    public async Task ClientGoneDuringInvocation_IsLoggedAs499_AndTheWorkerCallIsCancelled()
    {
        var invoked = new TaskCompletionSource();
        var workerSawAbort = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            context.RequestAborted.Register(() => workerSawAbort.TrySetResult());
            invoked.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var clientGivesUp = new CancellationTokenSource();

        var call = gateway.Client.GetAsync("/echo/", clientGivesUp.Token);
        await invoked.Task;
        await clientGivesUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await workerSawAbort.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("499 ClientClosedRequest"));
    }

    [Fact]
    public async Task PassiveHealth_TakesACrashingInstanceOutOfRotation()
    {
        using var dead = new RefusingAddress();

        await using var alive = await TestWorker.ReturningAsync("alive");
        var config = new GatewayConfiguration().WithFunction("echo", dead.Url, alive.Url)
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "RoundRobin")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Passive:Enabled", "true")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Passive:Policy", "TransportFailureRate")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Passive:ReactivationPeriod", "00:05:00");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add((await gateway.Client.GetAsync("/echo/")).StatusCode);
        }

        // The failure-rate policy needs 10 requests on the dead instance; round robin gives it about half, and the
        // default active probes may mark it a little earlier or later than exactly 20 requests in.
        Assert.Contains(HttpStatusCode.BadGateway, statuses);
        Assert.All(statuses.Skip(30), status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task AllDestinationsDown_ActiveHealthChecksMakeIt503ResourceThrottled()
    {
        using var dead = new RefusingAddress();

        var config = new GatewayConfiguration().WithFunction("echo", dead.Url)
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Enabled", "true")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "00:00:01")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Timeout", "00:00:01")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Path", "/healthz")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Policy", "ConsecutiveFailures")
            .Set("ReverseProxy:Clusters:echo:Metadata:ConsecutiveFailuresHealthPolicy.Threshold", "1");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        await Eventually.HoldsAsync(async () => (await gateway.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable);
        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.ServiceUnavailable, "ResourceThrottled");
    }
}
