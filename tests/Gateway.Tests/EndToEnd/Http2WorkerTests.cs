using System.Net;
using System.Text.Json;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A function cluster whose <c>HttpRequest</c> asks for HTTP/2 with prior knowledge (<c>Version</c> 2,
/// <c>VersionPolicy</c> <c>RequestVersionExact</c>) invokes its workers over cleartext HTTP/2, event mode and the
/// invocation API alike, and probes their health over it; a worker that speaks only HTTP/1.1 fails with a log line
/// that says what to check.
/// </summary>
public sealed class Http2WorkerTests
{
    [Fact]
    public async Task EventInvocations_AndTheInvocationApi_ReachAnHttp2Worker_OverHttp2()
    {
        var protocols = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var (worker, workerUrl) = await LoopbackServer.StartAsync(
            async context =>
            {
                protocols.Enqueue($"{context.Request.Method} {context.Request.Path} {context.Request.Protocol}");
                context.Response.Headers["x-fc-status"] = "200";
                await context.Response.WriteAsync("""{"statusCode":201,"body":"over h2"}""");
            },
            HttpProtocols.Http2);
        await using var _ = worker;
        await using var gateway = await TestGateway.StartAsync(Http2Cluster(workerUrl).Values);

        using var triggered = await gateway.Client.GetAsync("/echo/");
        using var invoked = await gateway.Client.PostAsync("/2023-03-30/functions/echo/invocations", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.Created, triggered.StatusCode);
        Assert.Equal("over h2", await triggered.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        Assert.Equal("""{"statusCode":201,"body":"over h2"}""", await invoked.Content.ReadAsStringAsync());
        Assert.Equal(2, protocols.Count(call => call == "POST /invoke HTTP/2"));
        await Eventually.HoldsAsync(() => protocols.Contains("GET /healthz HTTP/2"));
    }

    [Fact]
    public async Task AWorkerThatSpeaksOnlyHttp1_Is502_AndTheLogSaysTheClusterAsksForHttp2()
    {
        await using var worker = await TestWorker.ReturningAsync("never");
        await using var gateway = await TestGateway.StartAsync(Http2Cluster(worker.Url)
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Enabled", "false").Values);

        using var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(worker.Received);
        // The worker answers HTTP/2's preface with GOAWAY HTTP_1_1_REQUIRED (a protocol error to the gateway, or, when it ends the
        // new connection before the call, a connection never established), or closes first.
        await Eventually.HoldsAsync(() => gateway.Logs.Lines.Any(line =>
            line.Contains($"invocation of function echo ended worker_crashed: ", StringComparison.Ordinal)
            && line.Contains(worker.Url, StringComparison.Ordinal)
            && line.Contains("the cluster's HttpRequest asks for", StringComparison.Ordinal)
            && line.Contains("HTTP/2 without TLS", StringComparison.Ordinal)));
    }

    private static GatewayConfiguration Http2Cluster(string workerUrl) =>
        new GatewayConfiguration().WithFunction("echo", workerUrl)
            .Set("ReverseProxy:Clusters:echo:HttpRequest:Version", "2")
            .Set("ReverseProxy:Clusters:echo:HttpRequest:VersionPolicy", "RequestVersionExact");
}
