using FcGateway.Configuration;
using FcGateway.Diagnostics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Exporter;

namespace Gateway.Tests.Diagnostics;

public sealed class TelemetrySettingsTests
{
    [Theory]
    [InlineData("http://collector:4318", "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/", "http://collector:4318/v1/traces")]
    [InlineData("http://collector:4318/otlp", "http://collector:4318/otlp/v1/traces")]
    public void SectionEndpoint_OverHttp_GetsTheSignalPath(string endpoint, string expected)
    {
        var settings = Read(("OpenTelemetry:Otlp:Endpoint", endpoint), ("OpenTelemetry:Otlp:Protocol", "http/protobuf"));
        var options = new OtlpExporterOptions();

        settings.ApplyTo(options, TelemetrySignal.Traces);

        Assert.Equal(new Uri(expected), options.Endpoint);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, options.Protocol);
    }

    [Fact]
    public void SectionEndpoint_OverGrpc_IsTakenAsIs()
    {
        var settings = Read(("OpenTelemetry:Otlp:Endpoint", "http://collector:4317"));
        var options = new OtlpExporterOptions();

        settings.ApplyTo(options, TelemetrySignal.Metrics);

        Assert.Equal(new Uri("http://collector:4317"), options.Endpoint);
        Assert.Equal(OtlpExportProtocol.Grpc, options.Protocol);
    }

    [Fact]
    public void OtelVariables_WinOverTheSection()
    {
        var settings = Read(("OpenTelemetry:Otlp:Endpoint", "http://section:4317"), ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://variable:4317"));
        var options = new OtlpExporterOptions { Endpoint = new Uri("http://variable:4317") };

        settings.ApplyTo(options, TelemetrySignal.Logs);

        Assert.Equal(new Uri("http://variable:4317"), options.Endpoint);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "not a url")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "otel-collector:4317")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "ftp://c/v1/traces")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http")]
    [InlineData("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", "http/json")]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT", "10s")]
    [InlineData("OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "0")]
    [InlineData("OTEL_TRACES_SAMPLER", "bogus")]
    [InlineData("OTEL_METRIC_EXPORT_INTERVAL", "abc")]
    [InlineData("OTEL_METRIC_EXPORT_TIMEOUT", "-1")]
    [InlineData("OTEL_LOGS_EXPORTER", "console")]
    public void UnusableStandardVariable_IsAProblem_NotASilentExportToLocalhost(string key, string value)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => Read((key, value)));

        Assert.StartsWith($"{key} is '{value}'; set it to", Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("a tenth")]
    public void ARatioSamplersArgument_OutsideZeroToOne_IsAProblem(string argument)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => Read(("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"), ("OTEL_TRACES_SAMPLER_ARG", argument)));

        Assert.Equal($"OTEL_TRACES_SAMPLER_ARG is '{argument}'; set it to the share of traces sampled, from 0 to 1, e.g. 0.1.", Assert.Single(error.Problems));
    }

    [Fact]
    public void ASamplersArgument_IsReadOnlyForARatioSampler()
    {
        Read(("OTEL_TRACES_SAMPLER", "always_on"), ("OTEL_TRACES_SAMPLER_ARG", "anything"));
        Read(("OTEL_TRACES_SAMPLER", "traceidratio"), ("OTEL_TRACES_SAMPLER_ARG", "0.25"));
    }

    /// <summary>A signal's own headers and timeout win over the general ones, as its endpoint and protocol do (they were ignored).</summary>
    [Fact]
    public void SignalHeadersAndTimeout_WinOverTheGeneralOnes_ForThatSignalOnly()
    {
        var settings = Read(
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "x-general=1"),
            ("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-traces=1"),
            ("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "2500"));
        var traces = new OtlpExporterOptions();
        var metrics = new OtlpExporterOptions();

        settings.ApplyTo(traces, TelemetrySignal.Traces);
        settings.ApplyTo(metrics, TelemetrySignal.Metrics);

        Assert.Equal("x-traces=1", traces.Headers);
        Assert.Equal(2500, traces.TimeoutMilliseconds);
        Assert.NotEqual("x-traces=1", metrics.Headers);
        Assert.NotEqual(2500, metrics.TimeoutMilliseconds);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector:4317")]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "https://c:4318/v1/metrics")]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "grpc")]
    [InlineData("OTEL_TRACES_SAMPLER", "ParentBased_TraceIdRatio")]
    [InlineData("OTEL_METRIC_EXPORT_INTERVAL", "15000")]
    [InlineData("OTEL_TRACES_EXPORTER", "none")]
    [InlineData("OTEL_METRICS_EXPORTER", "otlp")]
    public void UsableStandardVariable_IsAccepted(string key, string value)
    {
        Read((key, value));
    }

    [Theory]
    [InlineData("OpenTelemetry:Otlp:Endpointt", "http://c:4318", "OpenTelemetry:Otlp:Endpointt: unknown setting; the keys here are Endpoint, Protocol, Headers.")]
    [InlineData("OpenTelemetry:ServiceNmae", "gw", "OpenTelemetry:ServiceNmae: unknown setting; the keys here are ServiceName, Otlp, Traces, Metrics, Logs.")]
    [InlineData("OpenTelemetry:Traces:Enable", "false", "OpenTelemetry:Traces:Enable: unknown setting; the keys here are Enabled.")]
    [InlineData("OpenTelemetry:Otlp", "http://c:4318", "OpenTelemetry:Otlp: must be an object")]
    public void UnknownOrMisplacedKey_IsAProblemNamingIt(string key, string value, string problem)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => Read((key, value)));

        Assert.StartsWith(problem, Assert.Single(error.Problems), StringComparison.Ordinal);
    }

    /// <summary>
    /// Headers the OTLP exporter could not use: some stopped the gateway with an unhandled exception as the exporter was
    /// built, the others failed every export without a word. The problem does not quote the values, often secrets.
    /// </summary>
    [Theory]
    [InlineData("OpenTelemetry:Otlp:Headers", "api-key", "pair 1 has no '='")]
    [InlineData("OpenTelemetry:Otlp:Headers", "a=1,a=2", "it names a twice")]
    [InlineData("OpenTelemetry:Otlp:Headers", "User-Agent=mine", "it sets User-Agent, which the exporter sends itself")]
    [InlineData("OpenTelemetry:Otlp:Headers", "tenant=a,api key=secret", "pair 2 has no valid header name before its '='")]
    [InlineData("OpenTelemetry:Otlp:Headers", "=secret", "pair 1 has no valid header name before its '='")]
    [InlineData("OTEL_EXPORTER_OTLP_HEADERS", "api-key=sec%0D%0Aret", "the value of api-key holds a control character")]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_HEADERS", "api-key", "pair 1 has no '='")]
    public void UnusableHeaders_AreAProblem_NotACrashOrASilentFailure(string key, string value, string problem)
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => Read((key, value)));

        Assert.Equal($"{key}: {problem}; write name=value pairs separated by commas, e.g. api-key=secret,tenant=a.", Assert.Single(error.Problems));
    }

    [Theory]
    [InlineData("api-key=secret,tenant=a")]
    [InlineData(" api-key = secret , tenant=a%3Db ,")]
    [InlineData("authorization=Bearer abc=")]
    public void UsableHeaders_AreAccepted(string value)
    {
        var settings = Read(("OpenTelemetry:Otlp:Headers", value), ("OTEL_EXPORTER_OTLP_HEADERS", value));

        Assert.Equal(value, settings.Headers);
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317", true)]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/v1/traces", true)]
    [InlineData("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "http://c:4318/v1/metrics", false)]
    [InlineData("OpenTelemetry:Otlp:Endpoint", "http://c:4317", true)]
    public void Traces_AreExportedOnlyWithAnEndpoint(string? key, string? value, bool exported)
    {
        var settings = key is null ? Read() : Read((key, value!));

        Assert.Equal(exported, settings.IsExported(TelemetrySignal.Traces));
    }

    [Theory]
    [InlineData("OTEL_SDK_DISABLED", "true")]
    [InlineData("OTEL_TRACES_EXPORTER", "none")]
    [InlineData("OpenTelemetry:Traces:Enabled", "false")]
    public void Traces_CanBeTurnedOff(string key, string value)
    {
        var settings = Read(("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4317"), (key, value));

        Assert.False(settings.IsExported(TelemetrySignal.Traces));
        Assert.Equal(key == "OTEL_SDK_DISABLED", !settings.IsExported(TelemetrySignal.Metrics));
    }

    [Fact]
    public void InvalidSection_ReportsEveryProblem()
    {
        var error = Assert.Throws<GatewayConfigurationException>(() => Read(
            ("OpenTelemetry:Otlp:Endpoint", "collector:4317"),
            ("OpenTelemetry:Otlp:Protocol", "http"),
            ("OpenTelemetry:Metrics:Enabled", "yes")));

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.Contains("OpenTelemetry:Otlp:Endpoint", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("set it to grpc or http/protobuf", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p.Contains("OpenTelemetry:Metrics:Enabled", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData("OTEL_SERVICE_NAME", "mine", true)]
    [InlineData("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod,service.name=mine", true)]
    [InlineData("OTEL_RESOURCE_ATTRIBUTES", "deployment.environment=prod", false)]
    public void DefaultServiceName_YieldsToTheStandardVariables(string? key, string? value, bool configured)
    {
        var settings = key is null ? Read() : Read((key, value!));

        Assert.Equal(configured, settings.ServiceNameConfigured);
        Assert.Equal("fc-gateway", settings.ServiceName);
    }

    private static TelemetrySettings Read(params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        return TelemetrySettingsReader.Read(configuration);
    }
}
