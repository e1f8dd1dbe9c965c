using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace FcGateway.Diagnostics;

/// <summary>
/// Builds the OpenTelemetry providers before anything else starts (Kestrel included), so the first request is already
/// observed; the container owns them and disposing it flushes and shuts them down.
/// </summary>
internal sealed class TelemetryHostedService(IServiceProvider services) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        services.GetService<TracerProvider>();
        services.GetService<MeterProvider>();
        services.GetService<LoggerProvider>();
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Pushes what is buffered before the host stops serving, so a short-lived gateway loses nothing.</summary>
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        services.GetService<TracerProvider>()?.ForceFlush();
        services.GetService<MeterProvider>()?.ForceFlush();
        services.GetService<LoggerProvider>()?.ForceFlush();
        return Task.CompletedTask;
    }
}
