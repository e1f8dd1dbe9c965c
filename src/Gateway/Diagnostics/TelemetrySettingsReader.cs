using System.Buffers;
using System.Globalization;
using FcGateway.Configuration;
using OpenTelemetry.Exporter;

namespace FcGateway.Diagnostics;

/// <summary>Reads <see cref="TelemetrySettings"/>, collecting every problem of the <c>OpenTelemetry</c> section, unknown keys included.</summary>
internal static class TelemetrySettingsReader
{
    private static readonly SettingKeys SectionKeys = new(
        ["ServiceName"], ("Otlp", SettingKind.Section), ("Traces", SettingKind.Section), ("Metrics", SettingKind.Section), ("Logs", SettingKind.Section));

    private static readonly SettingKeys OtlpKeys = new(["Endpoint", "Protocol", "Headers"]);

    private static readonly SettingKeys SignalKeys = new(["Enabled"]);

    /// <exception cref="GatewayConfigurationException">The <c>OpenTelemetry</c> section is invalid.</exception>
    public static TelemetrySettings Read(IConfiguration configuration)
    {
        var errors = new List<string>();
        var settings = Read(configuration, errors);
        return errors.Count > 0 ? throw new GatewayConfigurationException(errors) : settings;
    }

    /// <summary>The settings, and in <paramref name="errors"/> every problem of the section (a wrong value reads as unset).</summary>
    public static TelemetrySettings Read(IConfiguration configuration, List<string> errors)
    {
        var section = configuration.GetSection(TelemetrySettings.SectionName);
        var keys = new SettingsErrors(errors);
        keys.CheckKeys(section, SectionKeys);
        keys.CheckKeys(section.GetSection("Otlp"), OtlpKeys);
        var endpoint = ReadEndpoint(section, errors);
        var protocol = ReadProtocol(section, errors);

        // The SDK ignores an OTEL_* endpoint or protocol it cannot use and exports to its default (localhost:4317) instead.
        CheckVariable(configuration, TelemetrySettings.GeneralEndpointVariable, IsCollectorAddress, EndpointAdvice, errors);
        CheckVariable(configuration, "OTEL_EXPORTER_OTLP_PROTOCOL", IsProtocol, ProtocolAdvice, errors);

        // The exporter parses the headers when it is built and adds them to every export: a pair it cannot split stops the
        // process with an unhandled exception, a name or value HTTP refuses fails every export, silently.
        CheckHeaders(configuration, TelemetrySettings.GeneralHeadersVariable, errors);
        CheckHeaders(configuration, $"{TelemetrySettings.SectionName}:Otlp:Headers", errors);
        CheckVariable(configuration, TelemetrySettings.GeneralTimeoutVariable, IsTimeout, TimeoutAdvice, errors);

        // The SDK replaces a sampler, a ratio or an interval it cannot read with its default, saying nothing.
        CheckVariable(configuration, SamplerVariable, IsSampler, SamplerAdvice, errors);
        if (configuration[SamplerVariable]?.Trim().EndsWith("traceidratio", StringComparison.OrdinalIgnoreCase) == true)
        {
            CheckVariable(configuration, SamplerArgumentVariable, IsRatio, RatioAdvice, errors);
        }

        CheckVariable(configuration, "OTEL_METRIC_EXPORT_INTERVAL", IsTimeout, TimeoutAdvice, errors);
        CheckVariable(configuration, "OTEL_METRIC_EXPORT_TIMEOUT", IsTimeout, TimeoutAdvice, errors);
        foreach (var signal in (ReadOnlySpan<TelemetrySignal>)[TelemetrySignal.Traces, TelemetrySignal.Metrics, TelemetrySignal.Logs])
        {
            CheckVariable(configuration, signal.EndpointVariable, IsCollectorAddress, EndpointAdvice, errors);
            CheckVariable(configuration, signal.ProtocolVariable, IsProtocol, ProtocolAdvice, errors);
            CheckHeaders(configuration, signal.HeadersVariable, errors);
            CheckVariable(configuration, signal.TimeoutVariable, IsTimeout, TimeoutAdvice, errors);
            CheckVariable(configuration, signal.ExporterVariable, IsExporter, ExporterAdvice, errors);
            var key = $"{signal.SectionName}:Enabled";
            keys.CheckKeys(section.GetSection(signal.SectionName), SignalKeys);
            if (section[key] is { } enabled && !bool.TryParse(enabled, out _))
            {
                errors.Add($"OpenTelemetry:{key} is '{enabled}'; set it to true or false.");
            }
        }

        return new TelemetrySettings
        {
            Configuration = configuration,
            Endpoint = endpoint,
            Protocol = protocol,
            Headers = section["Otlp:Headers"] is { Length: > 0 } headers ? headers : null,
            ServiceName = section["ServiceName"] is { Length: > 0 } name ? name : TelemetrySettings.DefaultServiceName,
        };
    }

    private const string EndpointAdvice = "set it to the collector's absolute http:// or https:// address, e.g. http://otel-collector:4317.";

    private const string ProtocolAdvice = "set it to grpc or http/protobuf.";

    private const string TimeoutAdvice = "set it to whole milliseconds above zero, e.g. 10000.";

    private const string SamplerVariable = "OTEL_TRACES_SAMPLER";

    private const string SamplerArgumentVariable = "OTEL_TRACES_SAMPLER_ARG";

    /// <summary>The samplers OpenTelemetry .NET reads from <c>OTEL_TRACES_SAMPLER</c>.</summary>
    private static readonly string[] Samplers =
        ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"];

    private static readonly string SamplerAdvice = $"set it to one of {string.Join(", ", Samplers)}.";

    private const string RatioAdvice = "set it to the share of traces sampled, from 0 to 1, e.g. 0.1.";

    private const string ExporterAdvice = "set it to otlp, or none to export nothing of that signal.";

    private static void CheckVariable(IConfiguration configuration, string key, Func<string, bool> isValid, string advice, List<string> errors)
    {
        if (configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) && !isValid(value.Trim()))
        {
            errors.Add($"{key} is '{value}'; {advice}");
        }
    }

    private const string HeadersAdvice = "write name=value pairs separated by commas, e.g. api-key=secret,tenant=a.";

    /// <summary>Headers as the OTLP exporter reads them: URL-decoded, then <c>name=value</c> pairs separated by commas.</summary>
    private static void CheckHeaders(IConfiguration configuration, string key, List<string> errors)
    {
        if (configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) && HeadersProblem(Uri.UnescapeDataString(value)) is { } problem)
        {
            errors.Add($"{key}: {problem}; {HeadersAdvice}");
        }
    }

    /// <summary>What the exporter would fail on; values are not quoted, as they are often secrets (<c>api-key=…</c>).</summary>
    private static string? HeadersProblem(string headers)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pairs = headers.Split(',');
        for (var i = 0; i < pairs.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(pairs[i]))
            {
                continue;
            }

            var separator = pairs[i].IndexOf('=', StringComparison.Ordinal);
            if (separator < 0)
            {
                return $"pair {i + 1} has no '='";
            }

            var name = pairs[i][..separator].Trim();
            if (!IsToken(name))
            {
                return $"pair {i + 1} has no valid header name before its '='";
            }

            if (HasControlCharacter(pairs[i].AsSpan(separator + 1)))
            {
                return $"the value of {name} holds a control character";
            }

            if (string.Equals(name, "User-Agent", StringComparison.OrdinalIgnoreCase))
            {
                return "it sets User-Agent, which the exporter sends itself";
            }

            if (!names.Add(name))
            {
                return $"it names {name} twice";
            }
        }

        return null;
    }

    /// <summary>A header name: an RFC 9110 token.</summary>
    private static bool IsToken(string name) => name.Length > 0 && !name.AsSpan().ContainsAnyExcept(TokenCharacters);

    private static readonly SearchValues<char> TokenCharacters =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>CR and LF above all, which HTTP refuses in a value; the tab is allowed.</summary>
    private static bool HasControlCharacter(ReadOnlySpan<char> value) =>
        value.ContainsAnyInRange('\0', '\b') || value.ContainsAnyInRange('\n', '\u001f') || value.Contains('\u007f');

    private static bool IsCollectorAddress(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var address) && address.Scheme is "http" or "https";

    private static bool IsTimeout(string value) => TelemetrySettings.ReadTimeout(value) is not null;

    private static bool IsProtocol(string value) => value is "grpc" or "http/protobuf";

    private static bool IsSampler(string value) => Samplers.Contains(value, StringComparer.OrdinalIgnoreCase);

    private static bool IsRatio(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1;

    private static bool IsExporter(string value) => value.Equals("otlp", StringComparison.OrdinalIgnoreCase) || value.Equals("none", StringComparison.OrdinalIgnoreCase);

    private static Uri? ReadEndpoint(IConfigurationSection section, List<string> errors)
    {
        if (section["Otlp:Endpoint"] is not { Length: > 0 } value)
        {
            return null;
        }

        if (Uri.TryCreate(value, UriKind.Absolute, out var endpoint) && endpoint.Scheme is "http" or "https")
        {
            return endpoint;
        }

        errors.Add($"OpenTelemetry:Otlp:Endpoint is '{value}'; {EndpointAdvice}");
        return null;
    }

    private static OtlpExportProtocol? ReadProtocol(IConfigurationSection section, List<string> errors) =>
        section["Otlp:Protocol"] switch
        {
            null or "" => null,
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            var other => Invalid(other, errors),
        };

    private static OtlpExportProtocol? Invalid(string value, List<string> errors)
    {
        errors.Add($"OpenTelemetry:Otlp:Protocol is '{value}'; {ProtocolAdvice}");
        return null;
    }
}
