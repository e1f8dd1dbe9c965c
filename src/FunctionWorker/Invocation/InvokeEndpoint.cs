using FcWorker.Binding;
using FcWorker.Handlers;
using FcWorker.Responses;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FcWorker.Invocation;

/// <summary><c>POST /invoke</c>: admits the call, binds the event, runs the handler and writes its output.</summary>
internal sealed partial class InvokeEndpoint
{
    private readonly FunctionHandler _handler;
    private readonly ConcurrencyGate _gate;
    private readonly InvocationRunner _runner;
    private readonly ILogger _logger;
    private readonly Func<HttpContext, InvocationContext, Task> _invoke;

    public InvokeEndpoint(FunctionHandler handler, ConcurrencyGate gate, InvocationRunner runner, ILogger logger)
    {
        _handler = handler;
        _gate = gate;
        _runner = runner;
        _logger = logger;
        _invoke = InvokeAsync;
    }

    public Task HandleAsync(HttpContext http) => _gate.TryEnter() ? RunAsync(http) : RejectAsync(http);

    private async Task RunAsync(HttpContext http)
    {
        try
        {
            await _runner.RunAsync(http, InvocationPhase.Invoke, _invoke).ConfigureAwait(false);
        }
        finally
        {
            _gate.Exit();
        }
    }

    private Task RejectAsync(HttpContext http)
    {
        Log.ConcurrencyLimitExceeded(_logger, http.Request.Headers[FcHeaderNames.RequestId].ToString(), _gate.Limit);
        return FcResponse.WriteErrorAsync(http.Response, StatusCodes.Status429TooManyRequests, new FcErrorBody(
            $"The worker runs at most {_gate.Limit} invocation(s) at a time and all are busy; retry later, or raise FC_INSTANCE_CONCURRENCY.",
            FcErrorTypes.ConcurrencyLimitExceeded));
    }

    private async Task InvokeAsync(HttpContext http, InvocationContext context)
    {
        var binder = _handler.Binder;
        using var body = binder.ReadsBody
            ? await EventBodyReader.ReadAsync(http.Request.BodyReader, http.Request.ContentLength, context.CancellationToken).ConfigureAwait(false)
            : default;
        if (!binder.TryBind(body.Bytes, out var @event, out var error))
        {
            Log.InvalidEvent(_logger, context.RequestId, error!);
            await FcResponse.WriteFunctionErrorAsync(http.Response, new FcErrorBody(error!, FcErrorTypes.InvalidEvent)).ConfigureAwait(false);
            return;
        }

        var output = await _handler.Invoker(context, @event).ConfigureAwait(false);
        await _handler.Writer.WriteAsync(http.Response, output, http.RequestAborted).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(WorkerEventIds.InvalidEvent, LogLevel.Warning, "Invalid event, RequestId: {RequestId}: {Reason}")]
        public static partial void InvalidEvent(ILogger logger, string requestId, string reason);

        [LoggerMessage(WorkerEventIds.ConcurrencyLimitExceeded, LogLevel.Warning,
            "Refused RequestId: {RequestId}: all {Limit} invocation slot(s) are busy")]
        public static partial void ConcurrencyLimitExceeded(ILogger logger, string requestId, int limit);
    }
}
