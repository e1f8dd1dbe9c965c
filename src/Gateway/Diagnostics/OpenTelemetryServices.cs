using OpenTelemetry;

namespace FcGateway.Diagnostics;

/// <summary>
/// The <see cref="IOpenTelemetryBuilder"/> the SDK's <c>WithTracing</c>/<c>WithMetrics</c>/<c>WithLogging</c> extend: it
/// registers the providers in the host's container, which disposes (flushes) them on shutdown. The hosting package that
/// normally supplies it is not available here; <see cref="TelemetryHostedService"/> does its other job.
/// </summary>
internal sealed class OpenTelemetryServices(IServiceCollection services) : IOpenTelemetryBuilder
{
    public IServiceCollection Services { get; } = services;
}
