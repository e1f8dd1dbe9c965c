using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

public sealed class EventInvocationTests
{
    [Fact]
    public async Task Post_WorkerReceivesEventOnInvoke_WithCommonHeaders()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Gateway:Functions:echo:Timeout", "00:00:30")
            .Set("Gateway:Functions:echo:MemorySize", "1024")
            .Set("Gateway:Functions:echo:Handler", "main.handle"));

        var response = await gateway.Client.PostAsync("/echo/a%20b/c?x=1&x=2&y=%C3%A9", new StringContent("{\"message\": \"Hello\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(worker.Received);
        Assert.Equal("POST", received.Method);
        Assert.Equal("/invoke", received.Path);
        Assert.Equal("application/octet-stream", received.Header("Content-Type"));
        Assert.Equal("echo", received.Header("x-fc-function-name"));
        Assert.Equal("1024", received.Header("x-fc-function-memory"));
        Assert.Equal("30", received.Header("x-fc-function-timeout"));
        Assert.Equal("main.handle", received.Header("x-fc-function-handler"));
        Assert.Equal("cn-test", received.Header("x-fc-region"));
        Assert.Equal("1234567890", received.Header("x-fc-account-id"));
        Assert.Equal("LATEST", received.Header("x-fc-qualifier"));
        Assert.Equal("LATEST", received.Header("x-fc-version-id"));
        Assert.Equal("0", received.Header("x-fc-retry-count"));
        Assert.Equal("/invoke", received.Header("x-fc-control-path"));
        Assert.NotNull(received.Header("traceparent"));

        var @event = received.Event;
        Assert.Equal("v1", @event.GetProperty("version").GetString());
        Assert.Equal("/echo/a%20b/c", @event.GetProperty("rawPath").GetString());
        Assert.Equal("/echo/a b/c", @event.GetProperty("requestContext").GetProperty("http").GetProperty("path").GetString());
        Assert.Equal("{\"message\": \"Hello\"}", @event.GetProperty("body").GetString());
        Assert.False(@event.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("1,2", @event.GetProperty("queryParameters").GetProperty("x").GetString());
        Assert.Equal("é", @event.GetProperty("queryParameters").GetProperty("y").GetString());
        Assert.Equal("application/json; charset=utf-8", @event.GetProperty("headers").GetProperty("Content-Type").GetString());
        Assert.False(@event.GetProperty("headers").TryGetProperty("Host", out _));
        var context = @event.GetProperty("requestContext");
        Assert.Equal("1234567890", context.GetProperty("accountId").GetString());
        Assert.Equal("127.0.0.1", context.GetProperty("domainName").GetString());
        Assert.Equal("127.0.0.1", context.GetProperty("domainPrefix").GetString());
        Assert.Equal("POST", context.GetProperty("http").GetProperty("method").GetString());
        Assert.Equal("HTTP/1.1", context.GetProperty("http").GetProperty("protocol").GetString());
        Assert.Equal("127.0.0.1", context.GetProperty("http").GetProperty("sourceIp").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", context.GetProperty("time").GetString());
        Assert.Matches(@"^\d{13}$", context.GetProperty("timeEpoch").GetString());
    }

    [Fact]
    public async Task QueryKeysDifferingOnlyInCase_AreSeparateParameters()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        await gateway.Client.GetAsync("/echo/?token=a&Token=b&token=c&TOKEN=");

        var query = Assert.Single(worker.Received).Event.GetProperty("queryParameters");
        Assert.Equal("a,c", query.GetProperty("token").GetString());
        Assert.Equal("b", query.GetProperty("Token").GetString());
        Assert.Equal("", query.GetProperty("TOKEN").GetString());
    }

    [Fact]
    public async Task RequestId_IsTheSameInResponseWorkerHeaderAndEvent()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/");

        var requestId = Assert.Single(response.Headers.GetValues("X-Fc-Request-Id"));
        Assert.Matches("^1-[0-9a-f]{8}-[0-9a-f]{24}$", requestId);
        var received = Assert.Single(worker.Received);
        Assert.Equal(requestId, received.Header("x-fc-request-id"));
        Assert.Equal(requestId, received.Event.GetProperty("requestContext").GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task RequestIds_AreUniquePerInvocation()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var ids = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            var response = await gateway.Client.GetAsync("/echo/");
            ids.Add(response.Headers.GetValues("X-Fc-Request-Id").Single());
        }

        Assert.Equal(20, ids.Count);
    }

    [Fact]
    public async Task BinaryBody_AllByteValues_RoundTripThroughBase64()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        await gateway.Client.PostAsync("/echo/bin", content);

        var @event = Assert.Single(worker.Received).Event;
        Assert.True(@event.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal(bytes, Convert.FromBase64String(@event.GetProperty("body").GetString()!));
    }

    [Fact]
    public async Task Get_WithoutBody_HasEmptyBase64Body()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        await gateway.Client.GetAsync("/echo/?parameter1=value1&parameter2=value2");

        var @event = Assert.Single(worker.Received).Event;
        Assert.Equal("", @event.GetProperty("body").GetString());
        Assert.True(@event.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("value1", @event.GetProperty("queryParameters").GetProperty("parameter1").GetString());
        Assert.Equal("value2", @event.GetProperty("queryParameters").GetProperty("parameter2").GetString());
    }

    /// <summary>Repeated headers are joined with a comma under their canonical key; several cookies with "; ", so each pair stays one.</summary>
    [Theory]
    [InlineData("x-custom-header: value1\nX-CUSTOM-HEADER: value2", "X-Custom-Header", "value1,value2")]
    [InlineData("Cookie: a=1\nCookie: b=2", "Cookie", "a=1; b=2")]
    public async Task RepeatedHeaders_AreJoinedInCanonicalKey(string lines, string key, string joined)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        await RawHttp.SendAsync(gateway.Url, $"GET /echo/ HTTP/1.1\nHost: test\n{lines}\n\n");

        var headers = Assert.Single(worker.Received).Event.GetProperty("headers");
        Assert.Equal(joined, headers.GetProperty(key).GetString());
    }

    [Fact]
    public async Task Http2Request_ReportsHttp2Protocol()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:EndpointDefaults:Protocols", "Http2"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var http = Assert.Single(worker.Received).Event.GetProperty("requestContext").GetProperty("http");
        Assert.Equal("HTTP/2", http.GetProperty("protocol").GetString());
    }
}
