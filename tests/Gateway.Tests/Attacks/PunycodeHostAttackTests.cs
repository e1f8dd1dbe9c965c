using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// A Host with punycode labels (<c>xn--…</c>): ASP.NET Core's <c>HttpRequest.Host</c> decodes them, and throws on one
/// that does not decode. The function must see the host as the client sent it, and no client's Host may fault the gateway.
/// </summary>
public sealed class PunycodeHostAttackTests
{
    [Theory]
    [InlineData("GET", "/echo/")]
    [InlineData("GET", "/web/")]
    [InlineData("GET", "/no-such-function")]
    [InlineData("TRACE", "/echo/")]
    [InlineData("POST", "/2023-03-30/functions/echo/invocations")]
    public async Task UndecodablePunycodeHost_Is400InvalidArgument_WithARequestId_AndNoFault(string method, string path)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("ReverseProxy:Routes:web:ClusterId", "echo")
            .Set("ReverseProxy:Routes:web:Match:Path", "/web/{**rest}")
            .Set("ReverseProxy:Routes:web:Metadata:FunctionName", "echo")
            .Set("ReverseProxy:Routes:web:Metadata:TriggerMode", "web"));
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}") };
        request.Headers.Host = "xn--zz.example";

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("\"errorCode\":\"InvalidArgument\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Matches(@"^1-[0-9a-f]{8}-[0-9a-f]{24}$", response.Headers.GetValues("X-Fc-Request-Id").Single());
        Assert.Empty(worker.Received);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.StartsWith("Error ", StringComparison.Ordinal) || line.StartsWith("Critical ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PunycodeHost_ReachesTheEvent_AsSent()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Host = "xn--bcher-kva.example:8080";

        Assert.Equal(200, (int)(await gateway.Client.SendAsync(request)).StatusCode);

        var context = Assert.Single(worker.Received).Event.GetProperty("requestContext");
        Assert.Equal("xn--bcher-kva.example", context.GetProperty("domainName").GetString());
        Assert.Equal("xn--bcher-kva", context.GetProperty("domainPrefix").GetString());
    }

    [Fact]
    public async Task PunycodeHost_ReachesAWebFunction_AsSent_InXForwardedHost()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/");
        request.Headers.Host = "xn--bcher-kva.example:8080";

        Assert.Equal(200, (int)(await gateway.Client.SendAsync(request)).StatusCode);

        var received = Assert.Single(worker.Received);
        Assert.Equal("xn--bcher-kva.example:8080", received.Header("X-Forwarded-Host"));
        Assert.Equal("xn--bcher-kva.example:8080", received.Header("Host"));
    }
}
