using System.Diagnostics;
using FcGateway.Dialects.FcV1.Events;
using FcGateway.Diagnostics;
using FcGateway.Edge.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gateway's traces, metrics and logs and their OTLP export.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The activity sources exported besides the gateway's own: ASP.NET Core's and HttpClient's through their
    /// OpenTelemetry instrumentation, YARP's directly (internal so tests record the same span tree).
    /// </summary>
    internal static readonly string[] BuiltInSources = ["Microsoft.AspNetCore", "System.Net.Http", YarpSource];

    private const string YarpSource = "Yarp.ReverseProxy";

    /// <summary>
    /// Adds the gateway's metrics (<c>FcGateway</c> meter), the request-id log scope, and the OpenTelemetry SDK with the
    /// OTLP exporter for each signal whose endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c> and the other
    /// <c>OTEL_*</c> keys, or the <c>OpenTelemetry</c> section); see <c>docs/observability.md</c>.
    /// </summary>
    /// <exception cref="FcGateway.Configuration.GatewayConfigurationException">The <c>OpenTelemetry</c> section is invalid.</exception>
    public static IServiceCollection AddFcGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var problems = new List<string>();
        services.AddFcGatewayTelemetry(configuration, problems);
        return problems.Count > 0 ? throw new FcGateway.Configuration.GatewayConfigurationException(problems) : services;
    }

    /// <summary>
    /// As <see cref="AddFcGatewayTelemetry(IServiceCollection, IConfiguration)"/>, but an invalid <c>OpenTelemetry</c>
    /// section adds its problems to <paramref name="problems"/> and sets up no export, so that start-up reports them beside
    /// the problems of the other sections.
    /// </summary>
    internal static IServiceCollection AddFcGatewayTelemetry(this IServiceCollection services, IConfiguration configuration, List<string> problems)
    {
        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();

        // ASP.NET Core's hosting takes the propagator that continues a request's trace from the services.
        services.AddSingleton<DistributedContextPropagator>(new XRayTraceHeaderPropagator(DistributedContextPropagator.Current));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, RequestLogScopeStartupFilter>());
        IncludeScopesInConsoleLogs(services, configuration);
        EscapeOnlyWhatJsonRequiresInConsoleLogs(services);

        var sectionProblems = new List<string>();
        var settings = TelemetrySettingsReader.Read(configuration, sectionProblems);
        if (sectionProblems.Count > 0)
        {
            problems.AddRange(sectionProblems);
            return services;
        }

        var traces = settings.IsExported(TelemetrySignal.Traces);
        var metrics = settings.IsExported(TelemetrySignal.Metrics);
        var logs = settings.IsExported(TelemetrySignal.Logs);
        if (!traces && !metrics && !logs)
        {
            return services;
        }

        // Only the signals whose export is configured get a provider: the others are neither built nor listened to.
        var openTelemetry = services.AddOpenTelemetry().ConfigureResource(resource => ConfigureResource(resource, settings));
        if (traces)
        {
            openTelemetry.WithTracing(tracing => tracing
                .AddSource(GatewayDiagnostics.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource(YarpSource)
                .AddProcessor(new HealthProbeSpanFilter())
                .AddOtlpExporter(options => settings.ApplyTo(options, TelemetrySignal.Traces)));
        }

        if (metrics)
        {
            openTelemetry.WithMetrics(metering => metering
                .AddMeter(GatewayMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddOtlpExporter(options => settings.ApplyTo(options, TelemetrySignal.Metrics)));
        }

        if (logs)
        {
            openTelemetry.WithLogging(
                logging => logging.AddOtlpExporter(options => settings.ApplyTo(options, TelemetrySignal.Logs)),
                options =>
                {
                    options.IncludeScopes = true;
                    options.IncludeFormattedMessage = true;
                });
        }

        return services;
    }

    private static void ConfigureResource(ResourceBuilder resource, TelemetrySettings settings)
    {
        if (!settings.ServiceNameConfigured)
        {
            resource.AddService(settings.ServiceName, serviceInstanceId: Environment.MachineName);
        }
    }

    /// <summary>
    /// The JSON console format escapes what JSON requires and nothing more. Its default encoder writes every non-ASCII
    /// and HTML-sensitive character as a six-character escape, and each field twice (the message and its own member), so a
    /// field of client text bounded to 2,048 bytes (<see cref="FcGateway.LogText.EscapeField"/>) would make a line
    /// of over 24 KB: past the 16 KB at which container runtimes split a line, its continuation a record of its own that
    /// starts with the client's text.
    /// </summary>
    private static void EscapeOnlyWhatJsonRequiresInConsoleLogs(IServiceCollection services) =>
        services.Configure<JsonConsoleFormatterOptions>(options =>
            options.JsonWriterOptions = options.JsonWriterOptions with { Encoder = options.JsonWriterOptions.Encoder ?? MinimalJsonEncoder.Instance });

    /// <summary>
    /// Console lines show the scopes (trace id, span id, <c>FcRequestId</c>) unless the configuration says otherwise, so
    /// every line of an invocation can be found by its request id or trace id.
    /// </summary>
    private static void IncludeScopesInConsoleLogs(IServiceCollection services, IConfiguration configuration)
    {
        // Without a formatter name the console provider gives the simple formatter options built from its own obsolete
        // properties (IncludeScopes false), and the formatter's options take over only when the configuration reloads.
        services.Configure<ConsoleLoggerOptions>(options => options.FormatterName ??= ConsoleFormatterNames.Simple);
        if (configuration["Logging:Console:FormatterOptions:IncludeScopes"] is null)
        {
            services.Configure<SimpleConsoleFormatterOptions>(options => options.IncludeScopes = true);
            services.Configure<JsonConsoleFormatterOptions>(options => options.IncludeScopes = true);
        }
    }
}
