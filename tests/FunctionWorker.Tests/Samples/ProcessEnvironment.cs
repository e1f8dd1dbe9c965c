namespace FcWorker.Tests.Samples;

/// <summary>The test collection of tests that set process environment variables, which every worker started meanwhile would read: they run alone.</summary>
[CollectionDefinition(nameof(ProcessEnvironment), DisableParallelization = true)]
public sealed class ProcessEnvironment;
