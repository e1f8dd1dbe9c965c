using FcGateway.Outcomes;
namespace FcGateway.Diagnostics;

/// <summary>What one completed invocation measured, handed to <see cref="GatewayMetrics"/> without allocating.</summary>
internal readonly record struct InvocationMeasurements(
    string FunctionName,
    string Method,
    Outcome Outcome,
    int StatusCode,
    TimeSpan Duration,
    TimeSpan? WorkerDuration,
    long? RequestBodyBytes,
    long? ResponseBodyBytes);
