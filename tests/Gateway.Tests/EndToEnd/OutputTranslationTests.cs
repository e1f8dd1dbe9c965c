using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

public sealed class OutputTranslationTests
{
    [Fact]
    public async Task StringOutput_PassesThroughWith200AndJsonContentType()
    {
        await using var worker = await TestWorker.ReturningAsync("Hello World!");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(12, response.Content.Headers.ContentLength);
        Assert.Equal("Hello World!", await response.Content.ReadAsStringAsync());
        Assert.Null(response.Content.Headers.ContentDisposition);
    }

    /// <summary>An HTTP/2 response may not carry <c>te</c> (other than <c>trailers</c>): a client reset the stream of one that did.</summary>
    [Fact]
    public async Task AFunctionsTeHeader_IsNotSent_SoAnHttp2ClientGetsTheResponse()
    {
        await using var worker = await TestWorker.ReturningAsync("""{"statusCode":200,"headers":{"TE":"gzip"},"body":"a"}""");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:EndpointDefaults:Protocols", "Http2"));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("a", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.Contains("TE"));
    }

    [Fact]
    public async Task JsonOutputWithoutStatusCode_PassesThroughByteExact()
    {
        await using var worker = await TestWorker.ReturningAsync("{\"message\": \"Hello World!\"}");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"message\": \"Hello World!\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CustomResponse_SetsStatusHeadersAndJsonBody()
    {
        await using var worker = await TestWorker.ReturningAsync(
            "{\"statusCode\":201,\"headers\":{\"Content-Type\":\"application/json\",\"My-Custom-Header\":\"Custom Value\"},\"body\":{\"message\":\"Hello, world!\"},\"isBase64Encoded\":false}");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Custom Value", response.Headers.GetValues("My-Custom-Header").Single());
        Assert.Equal("{\"message\":\"Hello, world!\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ArrayHeaderValues_BecomeRepeatedHeaders_AndReservedOnesAreIgnored()
    {
        await using var worker = await TestWorker.ReturningAsync(
            "{\"statusCode\":200,\"headers\":{\"Set-Cookie\":[\"a=1\",\"b=2\"],\"X-Fc-Request-Id\":\"forged\",\"Server\":\"evil\",\"Bad Name\":\"x\",\"X-Split\":\"a\\r\\nInjected: yes\"},\"body\":\"aGVsbG8=\",\"isBase64Encoded\":true}");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await RawHttp.SendAsync(gateway.Url, "GET /echo/ HTTP/1.1\nHost: test\n\n");

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(["a=1", "b=2"], response.Headers.Where(h => h.Key == "Set-Cookie").Select(h => h.Value));
        Assert.NotEqual("forged", response.Header("X-Fc-Request-Id"));
        Assert.Null(response.Header("Server"));
        Assert.Null(response.Header("Injected"));
        Assert.Null(response.Header("X-Split"));
        Assert.Equal("application/json", response.Header("Content-Type"));
        Assert.Equal("hello", response.Body);
        Assert.True(gateway.Logs.Contains("Bad Name"));
    }

    [Fact]
    public async Task HeadRequest_GetsHeadersWithoutBody()
    {
        await using var worker = await TestWorker.ReturningAsync("{\"statusCode\":200,\"body\":\"hello\"}");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/echo/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("HEAD", Assert.Single(worker.Received).Event.GetProperty("requestContext").GetProperty("http").GetProperty("method").GetString());
    }

    [Fact]
    public async Task NoContentStatus_IsSentWithoutBody()
    {
        await using var worker = await TestWorker.ReturningAsync("{\"statusCode\":204,\"body\":\"ignored\"}");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.DeleteAsync("/echo/item");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    /// <summary>A 205 may not carry content (RFC 9110 §15.3.6): Kestrel refused the body and the client got a bare 500.</summary>
    [Fact]
    public async Task ResetContentStatus_IsSentWithoutBody_WithTheRequestId()
    {
        await using var worker = await TestWorker.ReturningAsync("{\"statusCode\":205,\"body\":\"ignored\"}");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await gateway.Client.PostAsync("/echo/form", new StringContent("a=1"));

        Assert.Equal(HttpStatusCode.ResetContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Single(response.Headers.GetValues("X-Fc-Request-Id"));
    }
}
