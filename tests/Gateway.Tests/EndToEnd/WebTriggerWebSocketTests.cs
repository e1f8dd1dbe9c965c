using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// A web function that accepts a WebSocket (an HTTP/1.1 upgrade, as FC's custom-runtime web functions may): the
/// gateway passes the 101 on and then the frames both ways, each as it comes.
/// </summary>
public sealed class WebTriggerWebSocketTests
{
    /// <param name="http2">
    /// Over HTTP/2 the client opens the socket with an extended CONNECT (RFC 8441), which Kestrel advertises and browsers
    /// use on an HTTP/2 connection; the gateway sends the worker an HTTP/1.1 upgrade.
    /// </param>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WebSocket_ThroughAWebRoute_EchoesMessagesBothWays_AndCloses(bool http2)
    {
        await using var worker = await TestWorker.StartAsync(EchoWebSocketAsync);
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("Kestrel:EndpointDefaults:Protocols", http2 ? "Http2" : "Http1"));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.HttpVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await socket.ConnectAsync(new Uri(gateway.Url.Replace("http://", "ws://", StringComparison.Ordinal) + "/echo/ws"), invoker, timeout.Token);
        var first = await RoundTripAsync(socket, "hello", timeout.Token);
        var large = new string('x', 256 * 1024);
        var second = await RoundTripAsync(socket, large, timeout.Token);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);

        Assert.Equal("hello", first);
        Assert.Equal(large, second);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.NotNull(socket.HttpResponseHeaders?["X-Fc-Request-Id"]);
    }

    [Fact]
    public async Task Http2WebSocket_ToAnEventFunction_Is400InvalidArgument_AndNothingIsInvoked()
    {
        await using var worker = await TestWorker.ReturningAsync("never");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:EndpointDefaults:Protocols", "Http2"));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.HttpVersion = HttpVersion.Version20;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());

        var refused = await Assert.ThrowsAsync<WebSocketException>(() =>
            socket.ConnectAsync(new Uri(gateway.Url.Replace("http://", "ws://", StringComparison.Ordinal) + "/echo/ws"), invoker, CancellationToken.None));

        Assert.Contains("400", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, socket.HttpStatusCode);
        Assert.NotNull(socket.HttpResponseHeaders?["X-Fc-Request-Id"]);
        Assert.Empty(worker.Received);
    }

    /// <summary>
    /// Browsers apply no CORS to a WebSocket and send the site's cookies with it from any page: on a trigger with CORS a
    /// handshake from an origin the policy does not allow is refused, 403 AccessDenied, and never reaches the worker.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WebSocket_FromAnOriginTheTriggersCorsDoesNotAllow_Is403_AndNeverReachesTheWorker(bool http2)
    {
        await using var worker = await TestWorker.StartAsync(EchoWebSocketAsync);
        await using var gateway = await StartWithCorsAsync(worker, http2);
        using var socket = BrowserSocket(http2, "https://evil.example");
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(SocketUri(gateway), invoker, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        Assert.NotNull(socket.HttpResponseHeaders?["X-Fc-Request-Id"]);
        Assert.Empty(worker.Received);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WebSocket_FromAnOriginTheTriggersCorsAllows_Opens(bool http2)
    {
        await using var worker = await TestWorker.StartAsync(EchoWebSocketAsync);
        await using var gateway = await StartWithCorsAsync(worker, http2);
        using var socket = BrowserSocket(http2, "https://app.example");
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        await socket.ConnectAsync(SocketUri(gateway), invoker, timeout.Token);
        var echoed = await RoundTripAsync(socket, "hello", timeout.Token);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);

        Assert.Equal("hello", echoed);
    }

    private static Task<TestGateway> StartWithCorsAsync(TestWorker worker, bool http2) =>
        TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("Gateway:Triggers:echo:Cors:AllowOrigins:0", "https://app.example")
            .Set("Kestrel:EndpointDefaults:Protocols", http2 ? "Http2" : "Http1"));

    /// <summary>A client socket as a page of <paramref name="origin"/> opens it.</summary>
    private static ClientWebSocket BrowserSocket(bool http2, string origin)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.HttpVersion = http2 ? HttpVersion.Version20 : HttpVersion.Version11;
        socket.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        socket.Options.SetRequestHeader("Origin", origin);
        return socket;
    }

    private static Uri SocketUri(TestGateway gateway) => new(gateway.Url.Replace("http://", "ws://", StringComparison.Ordinal) + "/echo/ws");

    private static async Task<string> RoundTripAsync(ClientWebSocket socket, string message, CancellationToken cancellationToken)
    {
        await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
            received.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>The worker's side: the RFC 6455 handshake by hand over Kestrel's upgrade, then an echo until the client closes.</summary>
    private static async Task EchoWebSocketAsync(HttpContext context, ReceivedRequest _)
    {
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
#pragma warning disable CA5350 // RFC 6455 §4.2.2 defines the accept value as a SHA-1 hash; it protects nothing.
        var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = accept;
        await using var stream = await context.Features.GetRequiredFeature<IHttpUpgradeFeature>().UpgradeAsync();
        using var socket = WebSocket.CreateFromStream(stream, isServer: true, subProtocol: null, keepAliveInterval: Timeout.InfiniteTimeSpan);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, CancellationToken.None);
        }
    }
}
