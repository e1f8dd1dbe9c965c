using System.Net;
using System.Net.Http.Headers;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Attacks;

/// <summary>
/// YARP lifts the server's body limit for gRPC requests over HTTP/2 (they stream); a web route must still never pass
/// a body over the gateway's limit to its worker.
/// </summary>
public sealed class StreamingBodyLimitAttackTests
{
    [Fact]
    public async Task GrpcContentTypeOverHttp2_OnAWebRoute_StillHasTheBodyLimit()
    {
        const int limit = 1024;
        await using var worker = await TestWorker.StartAsync((context, _) => context.Response.WriteAsync("whole body received"));
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Kestrel:EndpointDefaults:Protocols", "Http2")
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("Gateway:Limits:MaxRequestBodyBytes", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var client = new HttpClient { BaseAddress = new Uri(gateway.Url), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var content = new StreamContent(new MemoryStream(new byte[64 * 1024]));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");

        var response = await client.PostAsync("/echo/", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("EntityTooLarge", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.All(worker.Received, received => Assert.InRange(received.Body.Length, 0, limit));
    }
}
