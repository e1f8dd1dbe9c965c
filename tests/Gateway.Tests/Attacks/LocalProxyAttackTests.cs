using System.Net;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// A proxy on the gateway's own machine (a local nginx, trusted) connects from loopback for every client: what is
/// granted to loopback callers must go by the client it forwards for, not by the proxy's connection.
/// </summary>
public sealed class LocalProxyAttackTests
{
    [Theory]
    [InlineData("8.8.8.8", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    public async Task InvocationApi_WithoutTokens_BehindATrustedLocalProxy_AcceptsOnlyLoopbackClients(string client, HttpStatusCode expected)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:ForwardedHeaders:TrustedProxies:0", "127.0.0.1"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2023-03-30/functions/echo/invocations") { Content = new StringContent("{}") };
        request.Headers.Add("X-Forwarded-For", client);

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.OK ? 1 : 0, worker.Received.Count);
    }

    [Theory]
    [InlineData("Forwarded", "for=8.8.8.8;proto=https")]
    [InlineData("Forwarded", "for=\"[2001:db8::1]:4711\"")]
    [InlineData("X-Client-IP", "8.8.8.8")]
    public async Task InvocationApi_WithoutTokens_RefusesAClientALocalProxyNamesInAnotherForwardingHeader(string header, string value)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:ForwardedHeaders:TrustedProxies:0", "127.0.0.1"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/2023-03-30/functions/echo/invocations") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation(header, value);

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(worker.Received);
    }

    [Theory]
    [InlineData("8.8.8.8", false)]
    [InlineData("127.0.0.1", true)]
    public async Task Readiness_BehindATrustedLocalProxy_ShowsFunctionsOnlyToLoopbackClients(string client, bool showsFunctions)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:ForwardedHeaders:TrustedProxies:0", "127.0.0.1"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/readyz");
        request.Headers.Add("X-Forwarded-For", client);

        var response = await gateway.Client.SendAsync(request);

        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(showsFunctions, body.RootElement.TryGetProperty("availableInstances", out _));
    }
}
