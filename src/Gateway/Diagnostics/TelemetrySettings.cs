using System.Globalization;
using OpenTelemetry.Exporter;

namespace FcGateway.Diagnostics;

/// <summary>
/// Where and what the gateway exports by OTLP, read once at start-up from the standard <c>OTEL_*</c> keys (environment
/// variables or any configuration source) and the <c>OpenTelemetry</c> section; the <c>OTEL_*</c> keys win.
/// With no endpoint configured for a signal, that signal is not exported at all: nothing is sent, nothing fails.
/// </summary>
internal sealed record TelemetrySettings
{
    public const string SectionName = "OpenTelemetry";
    public const string GeneralEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string DefaultServiceName = "fc-gateway";
    public const string GeneralHeadersVariable = "OTEL_EXPORTER_OTLP_HEADERS";
    public const string GeneralTimeoutVariable = "OTEL_EXPORTER_OTLP_TIMEOUT";

    /// <summary>The configuration the OpenTelemetry SDK reads its <c>OTEL_*</c> keys from.</summary>
    public required IConfiguration Configuration { get; init; }

    /// <summary><c>OpenTelemetry:Otlp:Endpoint</c>: the OTLP base address when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is not set.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary><c>OpenTelemetry:Otlp:Protocol</c> (<c>grpc</c> or <c>http/protobuf</c>), when <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> is not set.</summary>
    public OtlpExportProtocol? Protocol { get; init; }

    /// <summary><c>OpenTelemetry:Otlp:Headers</c> (<c>key1=value1,key2=value2</c>), when <c>OTEL_EXPORTER_OTLP_HEADERS</c> is not set.</summary>
    public string? Headers { get; init; }

    /// <summary>The service name when neither <c>OTEL_SERVICE_NAME</c> nor <c>OTEL_RESOURCE_ATTRIBUTES</c> gives one.</summary>
    public string ServiceName { get; init; } = DefaultServiceName;

    /// <summary>Whether <paramref name="signal"/> is exported by OTLP.</summary>
    public bool IsExported(TelemetrySignal signal)
    {
        if (IsTrue(Configuration["OTEL_SDK_DISABLED"])
            || string.Equals(Configuration[signal.ExporterVariable], "none", StringComparison.OrdinalIgnoreCase)
            || string.Equals(Configuration[$"{SectionName}:{signal.SectionName}:Enabled"], "false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return HasValue(signal.EndpointVariable) || HasValue(GeneralEndpointVariable) || Endpoint is not null;
    }

    /// <summary>
    /// Applies a signal's own <c>OTEL_EXPORTER_OTLP_{SIGNAL}_*</c> keys to <paramref name="options"/>, and the
    /// <c>OpenTelemetry</c> section where no <c>OTEL_*</c> key said otherwise.
    /// </summary>
    public void ApplyTo(OtlpExporterOptions options, TelemetrySignal signal)
    {
        // The SDK's AddOtlpExporter reads the general OTEL_EXPORTER_OTLP_* keys only (a signal's own are read by
        // UseOtlpExporter alone): a signal's endpoint, protocol, headers and timeout are applied here, and win, as the
        // specification says.
        var protocol = Configuration[signal.ProtocolVariable]?.Trim() switch
        {
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => HasValue("OTEL_EXPORTER_OTLP_PROTOCOL") ? options.Protocol : Protocol ?? options.Protocol,
        };
        options.Protocol = protocol;
        if (HasValue(signal.EndpointVariable))
        {
            // A signal's endpoint is its full URL: no path is appended (OTLP exporter specification).
            options.Endpoint = new Uri(Configuration[signal.EndpointVariable]!.Trim());
        }
        else if (Endpoint is not null && !HasValue(GeneralEndpointVariable))
        {
            // As for OTEL_EXPORTER_OTLP_ENDPOINT, OTLP/HTTP takes a base address and each signal its own path.
            options.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(Endpoint, Endpoint.AbsolutePath.EndsWith('/') ? signal.HttpPath : $"{Endpoint.AbsolutePath}/{signal.HttpPath}")
                : Endpoint;
        }

        if (HasValue(signal.HeadersVariable))
        {
            options.Headers = Configuration[signal.HeadersVariable];
        }
        else if (Headers is not null && !HasValue(GeneralHeadersVariable))
        {
            options.Headers = Headers;
        }

        if (ReadTimeout(Configuration[signal.TimeoutVariable]) is { } timeout)
        {
            options.TimeoutMilliseconds = timeout;
        }
    }

    /// <summary>Whether the resource attributes already name the service, so the default must not override them.</summary>
    public bool ServiceNameConfigured =>
        HasValue("OTEL_SERVICE_NAME") || (Configuration["OTEL_RESOURCE_ATTRIBUTES"]?.Contains("service.name=", StringComparison.Ordinal) ?? false);

    /// <summary>An <c>OTEL_EXPORTER_OTLP_*TIMEOUT</c>: whole milliseconds above zero; null when unset or not that.</summary>
    public static int? ReadTimeout(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0 ? milliseconds : null;

    private bool HasValue(string key) => !string.IsNullOrWhiteSpace(Configuration[key]);

    private static bool IsTrue(string? value) => string.Equals(value?.Trim(), "true", StringComparison.OrdinalIgnoreCase);
}
