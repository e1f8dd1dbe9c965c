using System.Net;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

public sealed class HealthTests
{
    [Fact]
    public async Task Liveness_And_Readiness_AreAnsweredEvenUnderACatchAllFunctionRoute()
    {
        await using var worker = await TestWorker.ReturningAsync("function");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("ReverseProxy:Routes:echo:Match:Path", "/{**catchall}"));

        var live = await gateway.Client.GetAsync("/healthz");
        var ready = await gateway.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Contains("alive", await live.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, body.RootElement.GetProperty("availableInstances").GetProperty("echo").GetInt32());
        Assert.Empty(worker.Received);
        Assert.Equal("function", await gateway.Client.GetStringAsync("/anything-else"));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Head_IsAnsweredAsGetIs_NotPassedToACatchAllFunction(string path)
    {
        // RFC 9110 §9.1: a server that answers GET answers HEAD; load balancers and uptime checks probe with either.
        await using var worker = await TestWorker.ReturningAsync("function");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("ReverseProxy:Routes:echo:Match:Path", "/{**catchall}"));

        using var response = await gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("X-Fc-Request-Id"));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task Readiness_WithAFunctionWithoutInstances_Is503()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("ReverseProxy:Routes:empty:ClusterId", "empty")
            .Set("ReverseProxy:Routes:empty:Match:Path", "/empty/{**rest}")
            .Set("ReverseProxy:Routes:empty:Metadata:FunctionName", "empty")
            .Set("ReverseProxy:Clusters:empty:LoadBalancingPolicy", "RoundRobin");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        var ready = await gateway.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal(0, body.RootElement.GetProperty("availableInstances").GetProperty("empty").GetInt32());
        Assert.Equal(1, body.RootElement.GetProperty("availableInstances").GetProperty("echo").GetInt32());
    }
}
