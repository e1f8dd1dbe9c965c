using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// <c>OPTIONS *</c> asks about the server, not a resource (RFC 9110 §9.3.7): the gateway answers it, and no function sees
/// it even behind a catch-all route (a web worker would get <c>OPTIONS /</c>, a question about its root resource).
/// </summary>
public sealed class ServerWideOptionsTests
{
    [Theory]
    [InlineData("event")]
    [InlineData("web")]
    public async Task OptionsAsterisk_IsAnsweredByTheGateway_WithTheMethodsItAccepts(string mode)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("ReverseProxy:Routes:echo:Match:Path", "/{**rest}")
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", mode);
        await using var gateway = await TestGateway.StartAsync(config.Values);

        var response = await RawHttp.SendAsync(gateway.Url, "OPTIONS * HTTP/1.1\nHost: a\n\n");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("GET, POST, PUT, DELETE, HEAD, PATCH, OPTIONS", response.Header("Allow"));
        Assert.Equal("0", response.Header("Content-Length"));
        Assert.NotNull(response.Header("X-Fc-Request-Id"));
        Assert.Empty(worker.Received);
    }
}
