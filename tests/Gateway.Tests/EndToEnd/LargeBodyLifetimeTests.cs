using System.Net;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A large body lives in memory the gateway unmaps when the invocation ends. A worker that answers over HTTP/2
/// before reading the event leaves the handler sending it after the response has arrived; end to end, the output
/// still comes through and the gateway keeps serving. (That the body is released only after the send stopped is
/// checked deterministically by <c>WorkerInvokerPayloadTests</c>.)
/// </summary>
public sealed class LargeBodyLifetimeTests
{
    private const int BodyBytes = 3 * 1024 * 1024;

    [Fact]
    public async Task Http2WorkerAnsweringBeforeReadingTheEvent_GetsItsOutputThrough_AndTheGatewayKeepsServing()
    {
        var (worker, workerUrl) = await LoopbackServer.StartAsync(
            async context =>
            {
                context.Response.Headers["x-fc-status"] = "200";
                await context.Response.WriteAsync("""{"statusCode":200,"body":"answered early"}""");
            },
            HttpProtocols.Http2);
        await using var _ = worker;
        var config = new GatewayConfiguration().WithFunction("early", workerUrl)
            .Set("ReverseProxy:Clusters:early:HttpRequest:Version", "2")
            .Set("ReverseProxy:Clusters:early:HttpRequest:VersionPolicy", "RequestVersionExact");
        await using var gateway = await TestGateway.StartAsync(config.Values);
        var body = Enumerable.Range(0, BodyBytes).Select(i => (byte)(i * 7)).ToArray();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var response = await gateway.Client.PostAsync("/early/", new ByteArrayContent(body));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("answered early", await response.Content.ReadAsStringAsync());
        }
    }
}
