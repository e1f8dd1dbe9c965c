using System.Diagnostics.Metrics;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Diagnostics;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Clients that reset their connection (RST) in the middle of a request: recorded as 499 ClientClosedRequest (wire
/// contract §4) in the access log and the metrics, at Information, with no fault and no stack trace.
/// </summary>
public sealed class ClientResetTests
{
    private const string PartOfTheBody = "0123456789";

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
            beforeReset: () => Eventually.HoldsAsync(() => metrics.Of("fcgateway.invocations.active").Count > 0));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("requestId="));
        await gateway.StopAsync();

        // What the gateway read, not the declared 1000: the ten bytes, or none when the reset overtook them (a reset
        // connection drops what the gateway had not read yet). RequestBodyReaderTests counts a part read, deterministically.
        var access = await AssertClientClosedAsync(gateway, metrics, spans);
        Assert.Matches($"bytesIn=(0|{PartOfTheBody.Length}) ", access);
        Assert.Empty(worker.Received);
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
            beforeReset: () => Eventually.HoldsAsync(() => metrics.Of("fcgateway.invocations.active").Count > 0));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("requestId="));
        await gateway.StopAsync();

        await AssertClientClosedAsync(gateway, metrics, spans);
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

    /// <returns>The access line.</returns>
    private static async Task<string> AssertClientClosedAsync(TestGateway gateway, RecordedMeasurements metrics, RecordedSpans spans)
    {
        var access = Assert.Single(gateway.Logs.Lines, line => line.Contains("requestId=", StringComparison.Ordinal));
        Assert.Contains("function=echo ", access, StringComparison.Ordinal);
        Assert.Contains("status=499 outcome=client_closed", access, StringComparison.Ordinal);
        Assert.Contains(gateway.Logs.Lines, line => line.StartsWith("Information", StringComparison.Ordinal) && line.Contains("499 ClientClosedRequest", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.StartsWith("Error", StringComparison.Ordinal) || line.Contains("Exception", StringComparison.Ordinal));
        Assert.True(Assert.Single(metrics.Of("faas.errors")).Has("error.type", "client_closed"));
        var span = await spans.InvocationAsync(access[(access.IndexOf("requestId=", StringComparison.Ordinal) + "requestId=".Length)..]);
        Assert.Equal("client_closed", span.GetTagItem("fcgateway.outcome"));
        Assert.Equal(499, span.GetTagItem("http.response.status_code"));
        return access;
    }
}
