using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.RuntimeApi;

/// <summary>Starts a worker in pull mode against a <see cref="FakeRuntimeApi"/>.</summary>
internal static class PullingWorker
{
    public static Task<TestWorker> StartAsync(FakeRuntimeApi api, Delegate handler, FunctionWorkerOptions? options = null, params string[] args) =>
        TestWorker.StartAsync(handler, options, args: [$"--FC_RUNTIME_API={api.Address}", .. args]);
}
