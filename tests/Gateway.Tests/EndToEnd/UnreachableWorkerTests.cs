using System.Net;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// An invocation sent to a worker that is not listening: the client gets FC's answer, and the log says what happened
/// (the connection was refused), not that a process exited.
/// </summary>
public sealed class UnreachableWorkerTests
{
    [Fact]
    public async Task WorkerNotListening_Is502_AndTheLogSaysTheConnectionWasRefused()
    {
        using var dead = new RefusingAddress();
        await using var gateway = await GatewayForAsync(dead.Url);

        var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("Internal Server Error", await response.Content.ReadAsStringAsync());
        await Eventually.HoldsAsync(() => gateway.Logs.Contains($"invocation of function echo ended worker_crashed: Could not connect to the worker at {dead.Url} (connection refused)."));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("Process exited unexpectedly", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WorkerNotListening_InvocationApi_AnswersFcsProcessExitedError_WithoutTheWorkersAddress()
    {
        using var dead = new RefusingAddress();
        await using var gateway = await GatewayForAsync(dead.Url);

        var response = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Process exited unexpectedly before completing request", error.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("ProcessExitedError", error.RootElement.GetProperty("errorType").GetString());
    }

    /// <summary>A gateway that sends each invocation to <paramref name="workerUrl"/>: no health probe takes the instance out first.</summary>
    private static Task<TestGateway> GatewayForAsync(string workerUrl) =>
        TestGateway.StartAsync(new GatewayConfiguration().WithFunction("echo", workerUrl)
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Enabled", "false").Values);
}
