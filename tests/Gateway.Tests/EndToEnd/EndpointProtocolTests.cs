using System.Net;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.EndToEnd;

/// <summary>The endpoint examples of docs/gateway.md ("Endpoints: HTTP/1.1, h2c, TLS"), configured as written there.</summary>
public sealed class EndpointProtocolTests
{
    [Fact]
    public async Task CleartextHttp2Endpoint_ServesPriorKnowledgeHttp2()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Kestrel:Endpoints:h2c:Url", "http://127.0.0.1:0")
            .Set("Kestrel:Endpoints:h2c:Protocols", "Http2"));
        using var client = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.GetAsync($"{gateway.Url}/echo/");

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Equal("HTTP/2", Assert.Single(worker.Received).Event.GetProperty("requestContext").GetProperty("http").GetProperty("protocol").GetString());
    }

    [Fact]
    public async Task TlsEndpoint_NegotiatesHttp2WithAlpn_AndHttp1ForOlderClients()
    {
        using var certificate = await TlsEndpointCertificate.CreateAsync();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => certificate.AddEndpoint(c)
            .Set("Kestrel:Endpoints:tls:Protocols", "Http1AndHttp2"));
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => certificate.IsPresented(presented) };
        using var client = new HttpClient(handler);

        using var http2 = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{gateway.Url}/echo/") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact });
        using var http1 = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{gateway.Url}/echo/") { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact });

        Assert.StartsWith("https://", gateway.Url, StringComparison.Ordinal);
        Assert.Equal((HttpVersion.Version20, HttpStatusCode.OK), (http2.Version, http2.StatusCode));
        Assert.Equal((HttpVersion.Version11, HttpStatusCode.OK), (http1.Version, http1.StatusCode));
    }

    /// <summary>Kestrel serves an expired certificate without a word, and every client that checks it refuses it: the gateway warns at start-up.</summary>
    [Fact]
    public async Task TlsEndpoint_WithAnExpiredCertificate_StartsAndWarnsOfIt()
    {
        using var certificate = await TlsEndpointCertificate.CreateAsync(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddDays(-30));
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => certificate.AddEndpoint(c));

        var warning = Assert.Single(gateway.Logs.Lines, line => line.Contains("Kestrel:Endpoints:tls:Certificate: the certificate 'CN=localhost' is valid from", StringComparison.Ordinal));
        Assert.Contains("not now: TLS clients that check it refuse every connection", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TlsEndpoint_WithACurrentCertificate_HasNoWarningOfIt()
    {
        using var certificate = await TlsEndpointCertificate.CreateAsync();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => certificate.AddEndpoint(c));

        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("the certificate 'CN=localhost'", StringComparison.Ordinal));
    }
}
