using Gateway.Tests.Attacks;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// An HTTP/2 request the gateway answers before reading its body ends as the client closes its side, not with a reset
/// stream, which curl 7.88 reports as a failed transfer without the answer; within twice the body limit.
/// </summary>
public sealed class EarlyAnswerOverHttp2Tests
{
    private const int LargerThanTheStreamWindow = 2 * 1024 * 1024;

    [Fact]
    public async Task A404_ReadsTheRestOfTheBody_SoTheStreamIsNotReset()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:EndpointDefaults:Protocols", "Http2"));
        await using var connection = await RawHttp2Connection.OpenAsync(gateway.Url);

        var (status, reset) = await connection.PostAnsweredBeforeItsBodyAsync("/no-such-route/", LargerThanTheStreamWindow);

        Assert.Equal(404, status);
        Assert.False(reset, "the stream was reset");
        Assert.Empty(worker.Received);
    }

    /// <summary>Within twice the limit, the rest of the body is read; beyond it, none is, and the stream is reset after the answer.</summary>
    [Theory]
    [InlineData(LargerThanTheStreamWindow / 2 + 1, false)]
    [InlineData(LargerThanTheStreamWindow / 2 - 1, true)]
    public async Task ABodyDeclaredOverTheLimit_Is400_AndItsRestIsRead_OnlyWithinTwiceTheLimit(int limit, bool reset)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Kestrel:EndpointDefaults:Protocols", "Http2")
            .Set("Gateway:Limits:MaxRequestBodyBytes", limit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await using var connection = await RawHttp2Connection.OpenAsync(gateway.Url);

        var answer = await connection.PostAnsweredBeforeItsBodyAsync("/echo/", LargerThanTheStreamWindow);

        Assert.Equal((400, reset), answer);
        Assert.Empty(worker.Received);
    }

    [Fact]
    public async Task ABodyWhoseRestDoesNotCome_HasItsStreamReset_OnceTheTimeLimitHasPassed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Kestrel:EndpointDefaults:Protocols", "Http2"), timeProvider: time);
        await using var connection = await RawHttp2Connection.OpenAsync(gateway.Url);

        var (status, reset) = await connection.PostAnsweredBeforeItsBodyAsync("/no-such-route/", LargerThanTheStreamWindow, sentBytes: 1000);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(404, status);
        Assert.False(reset, "the stream was reset before the time limit");
        Assert.True(await connection.LastStreamIsResetAsync(), "the gateway still waited for the body after its time limit");
    }

    /// <summary>
    /// A web request answered 502 before its body was read (its instance's initializer failed) gives its instance back
    /// before the rest of its body is read: with room for one request, the next is served while the first's body is
    /// still to come, not queued behind it.
    /// </summary>
    [Fact]
    public async Task AWebRequestAnsweredBeforeItsBody_GivesItsInstanceBack_BeforeItsRestIsRead()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.IsHealthProbe(context.Request)
            ? TestWorker.Reply(context, 200, "ok", fcStatus: null)
            : TestWorker.Reply(context, 500, "the initializer failed", fcStatus: null));
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Kestrel:EndpointDefaults:Protocols", "Http2")
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("Gateway:Functions:echo:Initializer", "true")
            .Set("Gateway:Functions:echo:InstanceConcurrency", "1"), timeProvider: time);
        await using var first = await RawHttp2Connection.OpenAsync(gateway.Url);
        await using var second = await RawHttp2Connection.OpenAsync(gateway.Url);

        var (status, reset) = await first.PostAnsweredBeforeItsBodyAsync("/echo/", LargerThanTheStreamWindow, sentBytes: 1000);
        var next = await second.GetAsync("/echo/");

        Assert.Equal((502, false), (status, reset));
        Assert.Equal(502, next);
        Assert.Equal(2, worker.Received.Count(request => request.Path == "/initialize"));
    }

    /// <summary>
    /// A web request whose signature covers its body's hash, answered 502 before its body was read: the rest, which does
    /// not hash to the signed value, is read and dropped unjudged, so the answer ends cleanly and nothing fails after it.
    /// </summary>
    [Fact]
    public async Task ASignedWebRequestAnsweredBeforeItsBody_HasItsRestReadUnjudged()
    {
        await using var worker = await TestWorker.StartAsync((context, _) => TestWorker.IsHealthProbe(context.Request)
            ? TestWorker.Reply(context, 200, "ok", fcStatus: null)
            : TestWorker.Reply(context, 500, "the initializer failed", fcStatus: null));
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .WithAccessKey()
            .Set("Kestrel:EndpointDefaults:Protocols", "Http2")
            .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
            .Set("Gateway:Triggers:echo:AuthType", "function")
            .Set("Gateway:Functions:echo:Initializer", "true"), timeProvider: new FakeTimeProvider(AcsTestKey.SigningTime));
        await using var connection = await RawHttp2Connection.OpenAsync(gateway.Url);

        var answer = await connection.PostAnsweredBeforeItsBodyAsync("/echo/data", LargerThanTheStreamWindow, authority: "fc.example:8080", fields:
        [
            ("content-type", "application/json"),
            ("x-acs-date", AcsTestKey.SignedAt),
            ("x-acs-content-sha256", TriggerSignatureTests.SignedBodyHash),
            ("x-acs-signature-nonce", "8f1c2a"),
            ("authorization", TriggerSignatureTests.SdkForm),
        ]);
        await gateway.StopAsync();

        Assert.Equal((502, false), answer);
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("unhandled", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A stop does not wait for the rest of a body the gateway answered without: the stream is reset as it begins.</summary>
    [Fact]
    public async Task ABodyWhoseRestDoesNotCome_HasItsStreamReset_AsTheGatewayStops()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Kestrel:EndpointDefaults:Protocols", "Http2")
            .Set("Gateway:DrainTimeout", "00:01:00"), timeProvider: time);
        await using var connection = await RawHttp2Connection.OpenAsync(gateway.Url);

        var (status, reset) = await connection.PostAnsweredBeforeItsBodyAsync("/no-such-route/", LargerThanTheStreamWindow, sentBytes: 1000);
        var stopped = gateway.StopAsync();

        Assert.Equal((404, false), (status, reset));
        Assert.True(await connection.LastStreamIsResetAsync(), "the stop still waited for the body");
        await stopped;
    }

    /// <summary>
    /// A body that declares no length and passes the limit as it comes is refused by the gateway's own count, so its reader
    /// can read on after the 400: Kestrel's bound on such a body is twice the limit, the drain's.
    /// </summary>
    [Theory]
    [InlineData("/echo/")]
    [InlineData("/web/")]
    public async Task ABodyWithoutALengthThatPassesTheLimit_Is400_AndItsRestIsRead(string path)
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Kestrel:EndpointDefaults:Protocols", "Http2")
            .Set("Gateway:Limits:MaxRequestBodyBytes", (LargerThanTheStreamWindow / 2 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Set("ReverseProxy:Routes:web:ClusterId", "echo")
            .Set("ReverseProxy:Routes:web:Match:Path", "/web/{**rest}")
            .Set("ReverseProxy:Routes:web:Metadata:FunctionName", "echo")
            .Set("ReverseProxy:Routes:web:Metadata:TriggerMode", "web"));
        await using var connection = await RawHttp2Connection.OpenAsync(gateway.Url);

        var answer = await connection.PostWithoutLengthAsync(path, LargerThanTheStreamWindow);

        Assert.Equal((400, false), answer);
    }
}
