using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace FcGateway.Benchmarks;

/// <summary>
/// Few iterations, so the suite finishes in a few minutes; in-process, because BenchmarkDotNet's generated
/// project would sit under this repository and inherit its warnings-as-errors analyzer settings.
/// </summary>
internal static class ShortInProcessConfig
{
    public static IConfig Create() =>
        DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance))
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.JoinSummary);
}
