using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FcWorker.Samples;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.EndToEnd;

/// <summary>The gateway in front of the real SDK workers of the sample functions: gateway → SDK, nothing mocked.</summary>
public sealed class SampleFunctionTests : IAsyncLifetime
{
    private SampleHost _samples = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        var freePorts = SampleFunctions.All.ToDictionary(s => $"Samples:{s.Name}:Port", _ => (string?)"0");
        _samples = await SampleHost.StartAllAsync(new ConfigurationBuilder().AddInMemoryCollection(freePorts).Build());
        var config = new GatewayConfiguration();
        foreach (var (name, url) in _samples.Urls)
        {
            config.WithFunction(name, url.ToString());
        }

        config.Set("Gateway:Functions:slow:Timeout", "00:00:01");
        _gateway = await TestGateway.StartAsync(config.Values);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _samples.DisposeAsync();
    }

    [Fact]
    public async Task HttpEcho_ReturnsTheRequestBody()
    {
        var response = await _gateway.Client.PostAsync("/http-echo", new StringContent("Hello FC!", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello FC!", await response.Content.ReadAsStringAsync());
        Assert.Matches("^1-[0-9a-f]{8}-[0-9a-f]{24}$", response.Headers.GetValues("X-Fc-Request-Id").Single());
    }

    [Fact]
    public async Task HttpEcho_DecodesABase64Body()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes("Hello FC!"));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        var response = await _gateway.Client.PostAsync("/http-echo", content);

        Assert.Equal("Hello FC!", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HttpEcho_RandomBinaryBody_ComesBackByteForByteWithItsContentType()
    {
        var bytes = new byte[64 * 1024];
        new Random(12).NextBytes(bytes);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        var response = await _gateway.Client.PostAsync("/http-echo", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task RawEvent_ReturnsTheEventTheGatewayBuilt()
    {
        var response = await _gateway.Client.GetAsync("/raw-event/a%20b?x=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var @event = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = @event.RootElement;
        Assert.Equal("/raw-event/a%20b", root.GetProperty("rawPath").GetString());
        Assert.Equal("1", root.GetProperty("queryParameters").GetProperty("x").GetString());
        Assert.Equal(response.Headers.GetValues("X-Fc-Request-Id").Single(), root.GetProperty("requestContext").GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task EventString_GreetsTheWholeEvent()
    {
        var body = await _gateway.Client.GetStringAsync("/event-string");

        Assert.StartsWith("hello, {\"version\":\"v1\"", body, StringComparison.Ordinal);
        Assert.EndsWith("}!", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventMap_SeesTheEventsTopLevelKeys()
    {
        var body = await _gateway.Client.GetStringAsync("/event-map");

        Assert.Contains("rawPath=/event-map", body, StringComparison.Ordinal);
        Assert.Contains("version=v1", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventStruct_ThroughTheHttpTrigger_BindsTheHttpEvent()
    {
        var body = await _gateway.Client.GetStringAsync("/event-struct");

        Assert.Equal("hello, !", body);
    }

    [Fact]
    public async Task AlwaysFails_Returns502_AndTheGatewayLogsTheFunctionsError()
    {
        var response = await _gateway.Client.GetAsync("/always-fails");

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        var requestId = response.Headers.GetValues("X-Fc-Request-Id").Single();
        // The line is written as the response goes out, not necessarily before the client has read it.
        await Eventually.HoldsAsync(() => _gateway.Logs.Lines.Any(line => line.Contains(requestId, StringComparison.Ordinal) && line.Contains("something went wrong!", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Slow_PastItsTimeout_Returns502_AndTheTimeoutIsLogged()
    {
        var response = await _gateway.Client.GetAsync("/slow");

        await ErrorPathTests.AssertFunctionFailedAsync(response);
        var requestId = response.Headers.GetValues("X-Fc-Request-Id").Single();
        // The line is written as the response goes out, not necessarily before the client has read it.
        await Eventually.HoldsAsync(() => _gateway.Logs.Lines.Any(line => line.Contains(requestId, StringComparison.Ordinal) && line.Contains("Function time out after 1 second.", StringComparison.Ordinal)));
    }
}
