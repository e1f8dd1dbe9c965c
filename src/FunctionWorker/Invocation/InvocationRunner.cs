using FcWorker.Responses;
using FcWorker.Tracing;
using Microsoft.Extensions.Logging;

namespace FcWorker.Invocation;

/// <summary>
/// Runs one platform call (invoke, initialize, pre-stop, pre-freeze), pushed or pulled, inside its context,
/// request-id log scope and span, with FC's start and end log lines, and turns any exception into FC's error reply.
/// The start and end lines are Debug: the gateway already writes one access line per request, and two
/// more per call from every worker drown it. <c>Logging:LogLevel:FcWorker.Invocation=Debug</c> brings them back.
/// </summary>
internal sealed partial class InvocationRunner(ILogger logger, ILogger functionLogger)
{
    public async Task RunAsync(PlatformCall call, InvocationPhase phase, Func<PlatformCall, InvocationContext, Task> work)
    {
        using var context = InvocationContext.FromCall(call, phase.TimeoutHeader, functionLogger);
        using var scope = Log.BeginRequestScope(logger, context.RequestId);
        using var activity = InvocationActivity.Start(call.Headers, phase, context);
        Log.PhaseStart(logger, phase.LogName, context.RequestId);
        try
        {
            await work(call, context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Log.PhaseFailed(logger, phase.LogName, context.RequestId, exception);
            InvocationActivity.Fail(activity, exception);
            await call.Reply.FailAsync(FcErrorBody.FromException(exception)).ConfigureAwait(false);
        }

        Log.PhaseEnd(logger, phase.LogName, context.RequestId);
    }

    private static partial class Log
    {
        private static readonly Func<ILogger, string, IDisposable?> RequestScope =
            LoggerMessage.DefineScope<string>("FcRequestId:{FcRequestId}");

        public static IDisposable? BeginRequestScope(ILogger logger, string requestId) => RequestScope(logger, requestId);

        [LoggerMessage(WorkerEventIds.PhaseStart, LogLevel.Debug, "FC {Phase} Start RequestId: {RequestId}")]
        public static partial void PhaseStart(ILogger logger, string phase, string requestId);

        [LoggerMessage(WorkerEventIds.PhaseEnd, LogLevel.Debug, "FC {Phase} End RequestId: {RequestId}")]
        public static partial void PhaseEnd(ILogger logger, string phase, string requestId);

        [LoggerMessage(WorkerEventIds.PhaseFailed, LogLevel.Error, "FC {Phase} failed, RequestId: {RequestId}")]
        public static partial void PhaseFailed(ILogger logger, string phase, string requestId, Exception exception);
    }
}
