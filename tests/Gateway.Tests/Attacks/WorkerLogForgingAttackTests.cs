using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>A worker's error body is quoted in the gateway's log: it must not be able to start a forged line there either.</summary>
public sealed class WorkerLogForgingAttackTests
{
    [Fact]
    public async Task LineBreaksInAWorkersErrorBody_AreEscapedInTheLog()
    {
        await using var worker = await TestWorker.StartAsync((context, _) =>
            TestWorker.Reply(context, 404, "{\"errorMessage\":\"boom\r\nForged-Line: yes\"}", fcStatus: "404"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(502, (int)response.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("boom\\u000d\\u000aForged-Line: yes"));
        Assert.False(gateway.Logs.Contains("\nForged-Line"), "no log entry holds a raw line break from the worker");
    }
}
