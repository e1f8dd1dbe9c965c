namespace FcGateway.Diagnostics;

/// <summary>An OpenTelemetry signal: its name in <c>OTEL_*</c> variables, in the <c>OpenTelemetry</c> section and in OTLP/HTTP paths.</summary>
internal sealed class TelemetrySignal(string environmentName, string sectionName, string httpPath)
{
    public static TelemetrySignal Traces { get; } = new("TRACES", "Traces", "v1/traces");

    public static TelemetrySignal Metrics { get; } = new("METRICS", "Metrics", "v1/metrics");

    public static TelemetrySignal Logs { get; } = new("LOGS", "Logs", "v1/logs");

    /// <summary><c>OTEL_EXPORTER_OTLP_{SIGNAL}_ENDPOINT</c>.</summary>
    public string EndpointVariable { get; } = $"OTEL_EXPORTER_OTLP_{environmentName}_ENDPOINT";

    /// <summary><c>OTEL_EXPORTER_OTLP_{SIGNAL}_PROTOCOL</c>.</summary>
    public string ProtocolVariable { get; } = $"OTEL_EXPORTER_OTLP_{environmentName}_PROTOCOL";

    /// <summary><c>OTEL_EXPORTER_OTLP_{SIGNAL}_HEADERS</c>.</summary>
    public string HeadersVariable { get; } = $"OTEL_EXPORTER_OTLP_{environmentName}_HEADERS";

    /// <summary><c>OTEL_EXPORTER_OTLP_{SIGNAL}_TIMEOUT</c>, in milliseconds.</summary>
    public string TimeoutVariable { get; } = $"OTEL_EXPORTER_OTLP_{environmentName}_TIMEOUT";

    /// <summary><c>OTEL_{SIGNAL}_EXPORTER</c>; <c>none</c> turns the signal's export off.</summary>
    public string ExporterVariable { get; } = $"OTEL_{environmentName}_EXPORTER";

    /// <summary>The subsection of <c>OpenTelemetry</c> holding <c>Enabled</c>.</summary>
    public string SectionName { get; } = sectionName;

    /// <summary>The path appended to a base endpoint for OTLP/HTTP.</summary>
    public string HttpPath { get; } = httpPath;
}
