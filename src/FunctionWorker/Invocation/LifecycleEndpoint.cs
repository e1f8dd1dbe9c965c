using FcWorker.Responses;
using Microsoft.AspNetCore.Http;

namespace FcWorker.Invocation;

/// <summary><c>POST /initialize</c> and <c>GET /pre-stop</c>: run the optional callback, then answer 200 with no body.</summary>
internal sealed class LifecycleEndpoint
{
    private readonly InvocationPhase _phase;
    private readonly Func<IFunctionContext, Task>? _callback;
    private readonly InvocationRunner _runner;
    private readonly Func<HttpContext, InvocationContext, Task> _run;

    public LifecycleEndpoint(InvocationPhase phase, Func<IFunctionContext, Task>? callback, InvocationRunner runner)
    {
        _phase = phase;
        _callback = callback;
        _runner = runner;
        _run = RunCallbackAsync;
    }

    public Task HandleAsync(HttpContext http) => _runner.RunAsync(http, _phase, _run);

    private async Task RunCallbackAsync(HttpContext http, InvocationContext context)
    {
        if (_callback is not null)
        {
            await _callback(context).ConfigureAwait(false);
        }

        FcResponse.SetSuccess(http.Response);
        FcResponse.SetEmpty(http.Response);
    }
}
