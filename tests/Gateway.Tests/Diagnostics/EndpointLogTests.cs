using System.Net;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;

namespace Gateway.Tests.Diagnostics;

/// <summary>
/// Routing's "Executing endpoint …" and "Executed endpoint …" lines, two at Information for every request an endpoint
/// serves, are not written: with no levels configured they would repeat each invocation-API access line, write lines
/// for health probes, which have no access line, and four per pulled invocation for the worker's poll and reply.
/// </summary>
public sealed class EndpointLogTests
{
    private const string EndpointLines = " Microsoft.AspNetCore.Routing.EndpointMiddleware:";

    [Fact]
    public async Task WorkersPollsAndReplies_InvocationApiCalls_AndHealthProbes_WriteNoEndpointLines()
    {
        await using var gateway = await PullFunction.StartAsync();
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Task.FromResult("{}"u8.ToArray()));

        using var triggered = await gateway.Client.GetAsync("/echo/");
        using var invoked = await gateway.Client.PostAsync($"/2023-03-30/functions/{PullFunction.Name}/invocations", new StringContent("{}"));
        using var probed = await gateway.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, triggered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, probed.StatusCode);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(EndpointLines, StringComparison.Ordinal));
    }

    /// <summary>The hold is a default, not a rule over the configuration: a level the configuration gives the category is the one in force.</summary>
    [Fact]
    public async Task ALevelConfiguredForTheCategory_WritesItsEndpointLines()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(
            worker, configure: c => c.Set("Logging:LogLevel:Microsoft.AspNetCore.Routing.EndpointMiddleware", "Information"));

        using var probed = await gateway.Client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, probed.StatusCode);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains(EndpointLines));
    }
}
