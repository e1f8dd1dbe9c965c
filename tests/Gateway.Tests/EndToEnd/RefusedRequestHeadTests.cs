using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Attacks;
using Gateway.Tests.Diagnostics;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Request heads the HTTP server refuses while parsing them, before any of the gateway's middleware runs, still get the
/// gateway's answer (wire contract §3, §4): 400 InvalidArgument, the FC error body and <c>X-Fc-Request-Id</c>.
/// </summary>
public sealed class RefusedRequestHeadTests
{
    private const string RequestIdShape = "^1-[0-9a-f]{8}-[0-9a-f]{24}$";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    public static TheoryData<string, int, string> RefusedHeads => new()
    {
        { "GARBAGE\r\n\r\n", 400, "The request is not valid HTTP (its request line, a header, or how its body is framed)." },
        { "GET /a%00b HTTP/1.1\r\nHost: a\r\n\r\n", 400, "The request is not valid HTTP (its request line, a header, or how its body is framed)." },
        { "GET /echo/ HTTP/1.1\r\nHost: a\r\nBad Header: b\r\n\r\n", 400, "The request is not valid HTTP (its request line, a header, or how its body is framed)." },
        { "GET /echo/ HTTP/1.1\r\nHost: a\r\nX-A: a\r\n folded\r\n\r\n", 400, "The request is not valid HTTP (its request line, a header, or how its body is framed)." },
        { "GET /echo/ HTTP/7.0\r\nHost: a\r\n\r\n", 400, "The request is not valid HTTP (its request line, a header, or how its body is framed)." },
        { $"GET /echo/{new string('a', 20_000)} HTTP/1.1\r\nHost: a\r\n\r\n", 400, "The request line is too long." },
        { $"GET /echo/ HTTP/1.1\r\nHost: a\r\nX-Big: {new string('a', 40_000)}\r\n\r\n", 400, "The request headers are too large." },
        { "POST /echo/ HTTP/1.0\r\nHost: a\r\n\r\n", 400, "The request is not valid HTTP (its request line, a header, or how its body is framed)." },
    };

    [Theory]
    [MemberData(nameof(RefusedHeads))]
    public async Task RefusedHead_GetsInvalidArgument_WithRequestId_AndTheConnectionCloses(string head, int status, string message)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync(head);

        var response = await connection.ReadResponseAsync().WaitAsync(Bound);
        Assert.NotNull(response);
        AssertInvalidArgument(response, message, status);
        Assert.True(await connection.IsClosedByServerAsync().WaitAsync(Bound));
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task RefusedHeadOfAHeadRequest_GetsTheHeadOfTheAnswer_WithoutItsBody()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync("HEAD /echo/ HTTP/1.1\r\nHost: a\r\nBad Header: b\r\n\r\n");

        var response = await connection.ReadResponseAsync(headRequest: true).WaitAsync(Bound);
        Assert.NotNull(response);
        Assert.Equal(400, response.StatusCode);
        Assert.Matches(RequestIdShape, response.Header("X-Fc-Request-Id"));
        Assert.True(int.Parse(response.Header("Content-Length")!, CultureInfo.InvariantCulture) > 0, "the head declares the body a GET would get");
        Assert.True(await connection.IsClosedByServerAsync().WaitAsync(Bound), "no body follows the head of an answer to HEAD");
    }

    /// <remarks>
    /// On a cleartext HTTP/1.x connection Kestrel answers the HTTP/2 connection preface (h2c prior knowledge) with a
    /// GOAWAY frame, HTTP_1_1_REQUIRED, which an HTTP/2 client understands (.NET's HttpClient falls back to HTTP/1.1 on
    /// it); an HTTP/1.1 text answer in its place is garbage to that client.
    /// </remarks>
    [Fact]
    public async Task Http2PrefaceOnAnHttp1Connection_KeepsKestrelsGoAwayHttp11Required()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        var uri = new Uri(gateway.Url);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();

        await stream.WriteAsync("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\u0004\0\0\0\0\0"u8.ToArray());
        using var received = new MemoryStream();
        await stream.CopyToAsync(received).WaitAsync(Bound);

        // A GOAWAY frame: length 8, type 7, stream 0, last stream id 0, error code 0xd (HTTP_1_1_REQUIRED).
        Assert.Equal([0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xd], received.ToArray());
    }

    [Fact]
    public async Task RefusedHeadAfterAnAnsweredRequest_TheFirstAnswerIsIntact_TheSecondHasItsOwnId()
    {
        await using var worker = await TestWorker.ReturningAsync("""{"statusCode":200,"body":"answered"}""");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        await using var connection = await RawConnection.OpenAsync(gateway.Url);

        await connection.SendAsync(
            "GET /echo/first HTTP/1.1\r\nHost: a\r\n\r\n" +
            "GET /echo/second HTTP/1.1\r\nHost: a\r\nBad Header: b\r\n\r\n");

        var first = await connection.ReadResponseAsync().WaitAsync(Bound);
        var second = await connection.ReadResponseAsync().WaitAsync(Bound);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Equal((200, "answered"), (first.StatusCode, first.Body));
        AssertInvalidArgument(second, "The request is not valid HTTP (its request line, a header, or how its body is framed).");
        Assert.NotEqual(first.Header("X-Fc-Request-Id"), second.Header("X-Fc-Request-Id"));
        Assert.Single(worker.Received);
    }

    [Fact]
    public async Task BodyRefusedInsideThePipeline_KeepsTheGatewaysOwnAnswer()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        var response = await RawHttp.SendAsync(
            gateway.Url, "POST /echo/ HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n\n", Encoding.ASCII.GetBytes("zz\r\nhello\r\n0\r\n\r\n"));

        Assert.Equal(400, response.StatusCode);
        Assert.Matches(RequestIdShape, response.Header("X-Fc-Request-Id"));
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("InvalidArgument", body.RootElement.GetProperty("errorCode").GetString());
        Assert.StartsWith("The request body is malformed", body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Empty(worker.Received);
    }

    /// <remarks>Over TLS the gateway replaces the plaintext of Kestrel's answer, under the encryption.</remarks>
    [Fact]
    public async Task RefusedHeadOverTls_GetsInvalidArgument_WithRequestId()
    {
        using var certificate = await TlsEndpointCertificate.CreateAsync();
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => certificate.AddEndpoint(c));
        var uri = new Uri(gateway.Url);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        await using var tls = new SslStream(client.GetStream(), false, (_, presented, _, _) => certificate.IsPresented(presented));
        await tls.AuthenticateAsClientAsync("localhost");

        await tls.WriteAsync(Encoding.ASCII.GetBytes("GET /echo/ HTTP/1.1\r\nHost: a\r\nBad Header: b\r\n\r\n"));
        using var received = new MemoryStream();
        await tls.CopyToAsync(received).WaitAsync(Bound);

        Assert.StartsWith("https://", gateway.Url, StringComparison.Ordinal);
        AssertInvalidArgument(RawResponse.Parse(received.ToArray()), "The request is not valid HTTP (its request line, a header, or how its body is framed).");
        Assert.Empty(worker.Received);
    }

    /// <remarks>
    /// A refused head never becomes a request, so the request metrics do not count it; Kestrel's connection metric,
    /// which the gateway exports, records the connection with the reason Kestrel refused it.
    /// </remarks>
    [Fact]
    public async Task RefusedHead_IsCountedByKestrelsConnectionDuration_WithTheReason()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var measurements = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());
        await using (var connection = await RawConnection.OpenAsync(gateway.Url))
        {
            await connection.SendAsync("GET /echo/ HTTP/1.1\r\nHost: a\r\nBad Header: b\r\n\r\n");
            Assert.NotNull(await connection.ReadResponseAsync().WaitAsync(Bound));
            Assert.True(await connection.IsClosedByServerAsync().WaitAsync(Bound));
        }

        await Eventually.HoldsAsync(() => measurements.Of("kestrel.connection.duration").Count == 1);
        var closed = Assert.Single(measurements.Of("kestrel.connection.duration"));
        Assert.True(closed.Has("error.type", "invalid_request_headers"), string.Join(", ", closed.Tags.Select(t => $"{t.Key}={t.Value}")));
    }

    private static void AssertInvalidArgument(RawResponse response, string message, int status = 400)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Matches(RequestIdShape, response.Header("X-Fc-Request-Id"));
        Assert.Equal("application/json", response.Header("Content-Type"));
        Assert.Equal("close", response.Header("Connection"));
        using var body = JsonDocument.Parse(response.Body);
        Assert.Equal("InvalidArgument", body.RootElement.GetProperty("errorCode").GetString());
        Assert.Equal(message, body.RootElement.GetProperty("errorMessage").GetString());
    }
}
