using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Tests.Diagnostics;

/// <remarks>
/// These gateways export, so OpenTelemetry's HttpClient instrumentation listens to every HttpClient of the test process
/// while they run, and with its propagator (not the runtime's) it replaces the <c>traceparent</c> of any request sent
/// meanwhile with one of its own client span: a test elsewhere that sends a client's <c>traceparent</c>, or none, would
/// see another. So they run alone.
/// </remarks>
[Collection(RunsAlone.Name)]
public sealed class OtlpExportTests
{
    [Theory]
    [InlineData("OpenTelemetry:Otlp:Endpoint", "OpenTelemetry:Otlp:Protocol")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL")]
    public async Task WithAnEndpoint_SpansLogsAndMetricsOfTheInvocationArrive(string endpointKey, string protocolKey)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set(endpointKey, receiver.Url)
            .Set(protocolKey, "http/protobuf")
            .Set("OTEL_SERVICE_NAME", "gateway-under-test");
        string requestId;
        await using (var gateway = await TestGateway.StartAsync(config.Values))
        {
            using var response = await gateway.Client.GetAsync("/echo/");
            requestId = InvocationSpanTests.RequestIdOf(response);

            // The invocation's span ends and its access line is written after the response is sent, while the
            // request is still in the pipeline: stopping the gateway lets it finish, then flushes every provider.
            await gateway.StopAsync();
        }

        Assert.True(receiver.Contains("/v1/traces", requestId), "no span with the request id was exported");
        Assert.True(receiver.Contains("/v1/traces", "invoke echo"));
        Assert.True(receiver.Contains("/v1/traces", "gateway-under-test"));
        Assert.True(receiver.Contains("/v1/logs", requestId), "no log record with the request id was exported");
        Assert.True(receiver.Contains("/v1/logs", "FcRequestId"), "the request-id scope was not exported");
        Assert.True(receiver.Contains("/v1/metrics", "faas.invocations"));
        Assert.True(receiver.Contains("/v1/metrics", "http.server.request.duration"), "ASP.NET Core's own meter was not exported");
    }

    [Fact]
    public async Task WithASignalsOwnEndpoint_ThatSignalArrivesThere_AndNoOtherIsExported()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", $"{receiver.Url.TrimEnd('/')}/v1/metrics")
            .Set("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "http/protobuf");
        await using (var gateway = await TestGateway.StartAsync(config.Values))
        {
            Assert.Null(gateway.Services.GetService<TracerProvider>());
            Assert.Null(gateway.Services.GetService<LoggerProvider>());
            using var response = await gateway.Client.GetAsync("/echo/");
            response.EnsureSuccessStatusCode();
            await gateway.StopAsync();
        }

        Assert.True(receiver.Contains("/v1/metrics", "faas.invocations"), "the metrics did not arrive at their own endpoint");
        Assert.DoesNotContain(receiver.Received, r => r.Path != "/v1/metrics");
    }

    [Fact]
    public async Task HealthProbesOfWorkers_AreNotExported_TheInvocationsAre()
    {
        using var spans = new RecordedSpans();
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("probed", worker.Url)
            .Set("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Url)
            .Set("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")
            .Set("ReverseProxy:Clusters:probed:HealthCheck:Active:Interval", "00:00:01");
        await using (var gateway = await TestGateway.StartAsync(config.Values))
        {
            // The first round of probes may run before the tracer provider listens; a round started once the gateway runs
            // is seen by it, and its span has ended once all its probes have.
            var started = DateTime.UtcNow;
            await spans.EndedAsync(s => s.OperationName == "proxy.cluster_health_checks" && Equals(s.GetTagItem("proxy.cluster_id"), "probed") && s.StartTimeUtc > started);
            using var response = await gateway.Client.GetAsync("/probed/");
            await gateway.StopAsync();
        }

        Assert.True(receiver.Contains("/v1/traces", "invoke probed"));
        Assert.False(receiver.Contains("/v1/traces", "proxy.cluster_health_checks"), "a round of health probes was exported");
        Assert.False(receiver.Contains("/v1/traces", "proxy.destination_health_check"), "a health probe was exported");
        // The worker's own server spans are in the export too (it runs in the test's process): look for the gateway's call.
        Assert.False(receiver.Contains("/v1/traces", $"{worker.Url.TrimEnd('/')}/healthz"), "a health probe's HttpClient span was exported");
    }

    [Fact]
    public async Task WithoutAnEndpoint_NothingIsSetUp_AndInvocationsWork()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);

        using var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
        Assert.Null(gateway.Services.GetService<TracerProvider>());
        Assert.Null(gateway.Services.GetService<MeterProvider>());
        Assert.Null(gateway.Services.GetService<LoggerProvider>());
    }

    [Fact]
    public async Task SignalTurnedOff_IsNotExported()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var worker = await TestWorker.ReturningAsync("ok");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url)
            .Set("OpenTelemetry:Otlp:Endpoint", receiver.Url)
            .Set("OpenTelemetry:Otlp:Protocol", "http/protobuf")
            .Set("OTEL_METRICS_EXPORTER", "none")
            .Set("OpenTelemetry:Logs:Enabled", "false");
        await using (var gateway = await TestGateway.StartAsync(config.Values))
        {
            Assert.Null(gateway.Services.GetService<MeterProvider>());
            Assert.Null(gateway.Services.GetService<LoggerProvider>());
            using var response = await gateway.Client.GetAsync("/echo/");
            response.EnsureSuccessStatusCode();
            await gateway.StopAsync();
        }

        Assert.Contains(receiver.Received, r => r.Path == "/v1/traces");
        Assert.DoesNotContain(receiver.Received, r => r.Path != "/v1/traces");
    }
}
