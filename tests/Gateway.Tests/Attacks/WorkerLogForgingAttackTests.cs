using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>A worker's error body is quoted in the gateway's log: it must not be able to start a forged line there either.</summary>
public sealed class WorkerLogForgingAttackTests
{
    [Theory]
    [InlineData("GET", "/echo/", 502)]
    [InlineData("POST", "/2023-03-30/functions/echo/invocations", 200)]
    public async Task LineBreaksInAWorkersErrorBody_AreEscapedInTheLog(string method, string path, int status)
    {
        await using var worker = await TestWorker.StartAsync((context, _) =>
            TestWorker.Reply(context, 404, "{\"errorMessage\":\"boom\r\nForged-Line: yes\"}", fcStatus: "404"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("Error body: {\"errorMessage\":\"boom\\u000d\\u000aForged-Line: yes\"}"));
        Assert.False(gateway.Logs.Contains("\nForged-Line"), "no log entry holds a raw line break from the worker");
    }
}
