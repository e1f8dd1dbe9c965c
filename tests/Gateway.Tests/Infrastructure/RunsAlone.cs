namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The xunit collection of tests that must not overlap any other test: they run alone, after the parallel ones.
/// Tests that step one HTTP/2 exchange through the thread pool and wait on each step (under the full parallel run a step
/// was seen starved past its 30 s bound), and tests whose gateways export telemetry (OpenTelemetry's instrumentation
/// then listens to every HttpClient in the process and rewrites the trace headers other tests send).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "RunsAlone";
}
