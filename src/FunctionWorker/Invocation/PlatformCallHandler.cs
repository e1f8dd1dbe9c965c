using FcWorker.Responses;

namespace FcWorker.Invocation;

/// <summary>
/// Answers the platform's calls, whichever transport brought them: an invocation runs the <see cref="HandlerPipeline"/>,
/// a lifecycle call its optional callback, each inside the <see cref="InvocationRunner"/>'s log scope, span and error reply.
/// </summary>
internal sealed class PlatformCallHandler
{
    private readonly InvocationRunner _runner;
    private readonly Func<PlatformCall, InvocationContext, Task> _invoke;
    private readonly Func<PlatformCall, InvocationContext, Task> _initialize;
    private readonly Func<PlatformCall, InvocationContext, Task> _preStop;
    private readonly Func<PlatformCall, InvocationContext, Task> _preFreeze;

    public PlatformCallHandler(InvocationRunner runner, HandlerPipeline pipeline, FunctionWorkerOptions options)
    {
        _runner = runner;
        _invoke = pipeline.InvokeAsync;
        _initialize = Lifecycle(options.Initializer);
        _preStop = Lifecycle(options.PreStop);
        _preFreeze = Lifecycle(null);
    }

    public Task InvokeAsync(PlatformCall call) => _runner.RunAsync(call, InvocationPhase.Invoke, _invoke);

    public Task InitializeAsync(PlatformCall call) => _runner.RunAsync(call, InvocationPhase.Initialize, _initialize);

    public Task PreStopAsync(PlatformCall call) => _runner.RunAsync(call, InvocationPhase.PreStop, _preStop);

    /// <summary>Only the runtime API sends it; the SDK has no pre-freeze callback, so the call succeeds with nothing to do.</summary>
    public Task PreFreezeAsync(PlatformCall call) => _runner.RunAsync(call, InvocationPhase.PreFreeze, _preFreeze);

    /// <summary>Runs the callback, if any, then succeeds with no body; a missing callback is not an error, as FC's custom runtimes answer.</summary>
    private static Func<PlatformCall, InvocationContext, Task> Lifecycle(Func<IFunctionContext, Task>? callback) => async (call, context) =>
    {
        if (callback is not null)
        {
            await callback(context).ConfigureAwait(false);
        }

        await call.Reply.SucceedAsync(FunctionOutput.Empty, call.CallerGone).ConfigureAwait(false);
    };
}
