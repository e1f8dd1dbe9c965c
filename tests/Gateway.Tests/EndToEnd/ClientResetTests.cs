using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Gateway.Tests.Diagnostics;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Clients that reset their connection (RST) in the middle of a request: recorded as 499 ClientClosedRequest (wire
/// contract §4) in the access log and the metrics, at Information, with no fault and no stack trace.
/// </summary>
public sealed partial class ClientResetTests
{
    private const string PartOfTheBody = "0123456789";

    /// <summary>
    /// 16 MiB of output: more than loopback's socket buffers and Kestrel's hold together, so the gateway is still sending
    /// when the client resets.
    /// </summary>
    private static readonly string LargeOutput = new('x', 16 * 1024 * 1024);

    public static TheoryData<string, string, string> BodyResets => new()
    {
        { "/echo/", "Content-Length: 1000", PartOfTheBody },
        { "/echo/", "Transfer-Encoding: chunked", $"a\r\n{PartOfTheBody}\r\n" },
        { "/2023-03-30/functions/echo/invocations", "Content-Length: 1000", PartOfTheBody },
    };

    [Theory]
    [MemberData(nameof(BodyResets))]
    public async Task ResetInTheMiddleOfTheBody_IsClientClosed_WithTheBytesThatArrived(string path, string framing, string sent)
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.ReturningAsync("never");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var metrics = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());

        await RawHttp.SendAndResetAsync(gateway.Url, $"POST {path} HTTP/1.1\nHost: a\n{framing}\n\n", Encoding.ASCII.GetBytes(sent),
            beforeReset: _ => Eventually.HoldsAsync(() => metrics.Of("fcgateway.invocations.active").Count > 0));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("requestId="));
        await gateway.StopAsync();

        // What the gateway read, not the declared 1000: the ten bytes, or none when the reset overtook them (a reset
        // connection drops what the gateway had not read yet). RequestBodyReaderTests counts a part read, deterministically.
        var access = await AssertClientClosedAsync(gateway, metrics, spans);
        Assert.Matches($"bytesIn=(0|{PartOfTheBody.Length}) ", access);
        Assert.Empty(worker.Received);
    }

    /// <summary>
    /// A client that closes its connection (FIN, not a reset) in the middle of its body gets Kestrel's "Unexpected end of
    /// request content" (declared length) or "Chunked request incomplete", which were taken for a malformed body: 400 rejected.
    /// </summary>
    [Theory]
    [InlineData("/echo/", false, false)]
    [InlineData("/2023-03-30/functions/echo/invocations", false, false)]
    [InlineData("/echo/", true, false)]
    [InlineData("/echo/", false, true)]
    [InlineData("/2023-03-30/functions/echo/invocations", true, true)]
    public async Task CloseInTheMiddleOfTheBody_IsClientClosed(string path, bool sendingSideOnly, bool chunked)
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.ReturningAsync("never");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var metrics = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());
        var uri = new Uri(gateway.Url);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(uri.Host, uri.Port);
            var head = chunked ? "Transfer-Encoding: chunked\r\n\r\na\r\n" : "Content-Length: 1000\r\n\r\n";
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: a\r\n{head}{PartOfTheBody}"));
            await Eventually.HoldsAsync(() => metrics.Of("fcgateway.invocations.active").Count > 0);
            if (sendingSideOnly)
            {
                client.Client.Shutdown(SocketShutdown.Send);
                await Eventually.HoldsAsync(() => gateway.Logs.Contains("requestId="));
            }

            client.Client.Close();
        }

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("requestId="));
        await gateway.StopAsync();

        // Kestrel gives the part sent only to a read that came before the close: after it, the read fails at once.
        var access = await AssertClientClosedAsync(gateway, metrics, spans);
        Assert.Matches($" bytesIn=(0|{PartOfTheBody.Length}) ", access);
        Assert.Empty(worker.Received);
    }

    /// <summary>
    /// The same close (FIN) in the middle of the body of a request for a web function, which YARP's forwarder reads: it was
    /// answered as a malformed body, 400 rejected, unless Kestrel's RequestAborted came first.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CloseInTheMiddleOfTheBody_OfAWebFunction_IsClientClosed(bool chunked)
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.ReturningAsync("never");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web"));
        using var metrics = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());
        var uri = new Uri(gateway.Url);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(uri.Host, uri.Port);
            var head = chunked ? "Transfer-Encoding: chunked\r\n\r\na\r\n" : "Content-Length: 1000\r\n\r\n";
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"POST /echo/ HTTP/1.1\r\nHost: a\r\n{head}{PartOfTheBody}"));
            await Eventually.HoldsAsync(() => metrics.Of("fcgateway.invocations.active").Count > 0);
            client.Client.Shutdown(SocketShutdown.Send);
            await Eventually.HoldsAsync(() => gateway.Logs.Contains("requestId="));
            client.Client.Close();
        }

        await gateway.StopAsync();

        // The bytes YARP read, not the length declared: none when its first read came after the close (the usual case).
        var access = await AssertClientClosedAsync(gateway, metrics, spans);
        Assert.Matches($" bytesIn=(0|{PartOfTheBody.Length}) ", access);
    }

    [Theory]
    [InlineData("Content-Length: 1000", PartOfTheBody)]
    [InlineData("Transfer-Encoding: chunked", $"a\r\n{PartOfTheBody}\r\n")]
    public async Task ResetInTheMiddleOfTheBody_OfAWebFunction_IsClientClosed(string framing, string sent)
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.ReturningAsync("never");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web"));
        using var metrics = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());

        await RawHttp.SendAndResetAsync(gateway.Url, $"POST /echo/ HTTP/1.1\nHost: a\n{framing}\n\n", Encoding.ASCII.GetBytes(sent),
            beforeReset: _ => Eventually.HoldsAsync(() => metrics.Of("fcgateway.invocations.active").Count > 0));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("requestId="));
        await gateway.StopAsync();

        // When the reset reaches YARP before Kestrel's RequestAborted, YARP logs its RequestBodyClient error itself, at
        // Warning with the exception, a line its forwarder's default level (Error) leaves out.
        await AssertClientClosedAsync(gateway, metrics, spans);
    }

    [Theory]
    [InlineData("/echo/")]
    [InlineData("/2023-03-30/functions/echo/invocations")]
    public async Task ResetInTheMiddleOfALargeResponse_IsClientClosed_WithTheBytesTheServerTook(string path)
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.ReturningAsync(LargeOutput);
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        using var metrics = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());

        await RawHttp.SendAndResetAsync(gateway.Url, $"POST {path} HTTP/1.1\nHost: a\nContent-Length: 0\n\n", [], ReadAKilobyteAsync);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("requestId="));
        await gateway.StopAsync();

        var access = await AssertClientClosedAsync(gateway, metrics, spans);
        var bytesOut = long.Parse(BytesOut().Match(access).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(bytesOut, 1, LargeOutput.Length / 2);
    }

    [Fact]
    public async Task Http2StreamResetInTheMiddleOfALargeResponse_IsClientClosed()
    {
        using var spans = new RecordedSpans();
        await using var worker = await TestWorker.ReturningAsync(LargeOutput);
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:EndpointDefaults:Protocols", "Http2"));
        using var metrics = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());
        using var client = new HttpClient
        {
            BaseAddress = new Uri(gateway.Url), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        // Disposing a response whose body is not read to the end resets its stream (RST_STREAM CANCEL).
        using (var response = await client.GetAsync("/echo/", HttpCompletionOption.ResponseHeadersRead))
        {
            await ReadAKilobyteAsync(await response.Content.ReadAsStreamAsync());
        }

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("requestId="));
        await gateway.StopAsync();

        var access = await AssertClientClosedAsync(gateway, metrics, spans);
        Assert.InRange(long.Parse(BytesOut().Match(access).Groups[1].Value, CultureInfo.InvariantCulture), 1, LargeOutput.Length / 2);
    }

    [Fact]
    public async Task ResetInTheMiddleOfTheBody_OverTls_IsClientClosed()
    {
        using var spans = new RecordedSpans();
        using var certificate = await TlsEndpointCertificate.CreateAsync();
        await using var worker = await TestWorker.ReturningAsync("never");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => certificate.AddEndpoint(c));
        using var metrics = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());
        var uri = new Uri(gateway.Url);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        await using var tls = new SslStream(client.GetStream(), false, (_, presented, _, _) => certificate.IsPresented(presented));
        await tls.AuthenticateAsClientAsync("localhost");

        await tls.WriteAsync(Encoding.ASCII.GetBytes($"POST /echo/ HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\n\r\n{PartOfTheBody}"));
        await Eventually.HoldsAsync(() => metrics.Of("fcgateway.invocations.active").Count > 0);
        client.Client.LingerState = new LingerOption(true, 0);
        client.Client.Close();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("requestId="));
        await gateway.StopAsync();

        await AssertClientClosedAsync(gateway, metrics, spans);
        Assert.Empty(worker.Received);
    }

    private static async Task ReadAKilobyteAsync(Stream response)
    {
        var buffer = new byte[1024];
        await response.ReadExactlyAsync(buffer);
    }

    /// <returns>The access line.</returns>
    private static async Task<string> AssertClientClosedAsync(TestGateway gateway, RecordedMeasurements metrics, RecordedSpans spans)
    {
        var lines = gateway.Logs.Lines;
        var access = Assert.Single(gateway.Logs.Lines, line => line.Contains("requestId=", StringComparison.Ordinal));
        Assert.Contains("function=echo ", access, StringComparison.Ordinal);
        Assert.Contains("status=499 outcome=client_closed", access, StringComparison.Ordinal);
        Assert.Contains(gateway.Logs.Lines, line => line.StartsWith("Information", StringComparison.Ordinal) && line.Contains("499 ClientClosedRequest", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.StartsWith("Error", StringComparison.Ordinal) || line.Contains("Exception", StringComparison.Ordinal));
        Assert.True(Assert.Single(metrics.Of("faas.errors")).Has("error.type", "client_closed"));
        var span = await spans.InvocationAsync(access[(access.IndexOf("requestId=", StringComparison.Ordinal) + "requestId=".Length)..]);
        Assert.Equal("client_closed", span.GetTagItem("fcgateway.outcome"));
        Assert.Equal(499, span.GetTagItem("http.response.status_code"));
        return access;
    }

    [GeneratedRegex("bytesOut=([0-9]+) ")]
    private static partial Regex BytesOut();
}
