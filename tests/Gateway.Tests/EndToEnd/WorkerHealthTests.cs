using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>A worker that stops running: the default active health check takes it out of rotation and out of <c>/readyz</c>.</summary>
public sealed class WorkerHealthTests
{
    [Theory]
    [InlineData("event")]
    [InlineData("web")]
    public async Task WorkerStops_ReadinessTurns503_AndReadyAgainOnceAWorkerAnswersAtItsAddress(string triggerMode)
    {
        var worker = await TestWorker.ReturningAsync("up");
        var workerUrl = worker.Url;
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", triggerMode)
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "00:00:00.100"));
        var readyWhileUp = await gateway.Client.GetAsync("/readyz");

        await worker.DisposeAsync();
        await Eventually.HoldsAsync(async () => (await gateway.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable);
        await using var restarted = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 200, "back", fcStatus: "200"), workerUrl);
        await Eventually.HoldsAsync(async () => (await gateway.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.OK, readyWhileUp.StatusCode);
        Assert.Single(gateway.Logs.Lines, line => line.Contains($"Worker d0 of cluster echo at {workerUrl} does not answer health probes", StringComparison.Ordinal));
        Assert.Single(gateway.Logs.Lines, line => line.Contains($"Worker d0 of cluster echo at {workerUrl} answers health probes again", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("ActiveHealthCheckMonitor", StringComparison.Ordinal));
    }
}
