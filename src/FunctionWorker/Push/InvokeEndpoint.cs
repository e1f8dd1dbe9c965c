using FcWorker.Invocation;
using FcWorker.Responses;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FcWorker.Push;

/// <summary><c>POST /invoke</c>: admits the call while a slot is free, or refuses it at once with 429; an admitted call runs the shared pipeline.</summary>
internal sealed partial class InvokeEndpoint(PlatformCallHandler calls, ConcurrencyGate gate, ILogger logger)
{
    public Task HandleAsync(HttpContext http) => gate.TryEnter() ? RunAsync(http) : RejectAsync(http);

    private async Task RunAsync(HttpContext http)
    {
        try
        {
            await calls.InvokeAsync(PushedCall.From(http)).ConfigureAwait(false);
        }
        finally
        {
            gate.Exit();
        }
    }

    private Task RejectAsync(HttpContext http)
    {
        Log.ConcurrencyLimitExceeded(logger, http.Request.Headers[FcHeaderNames.RequestId].ToString(), gate.Limit);
        return FcResponse.WriteErrorAsync(http.Response, StatusCodes.Status429TooManyRequests, new FcErrorBody(
            $"The worker runs at most {gate.Limit} invocation(s) at a time and all are busy; retry later, or raise FC_INSTANCE_CONCURRENCY.",
            FcErrorTypes.ConcurrencyLimitExceeded));
    }

    private static partial class Log
    {
        [LoggerMessage(WorkerEventIds.ConcurrencyLimitExceeded, LogLevel.Warning,
            "Refused RequestId: {RequestId}: all {Limit} invocation slot(s) are busy")]
        public static partial void ConcurrencyLimitExceeded(ILogger logger, string requestId, int limit);
    }
}
