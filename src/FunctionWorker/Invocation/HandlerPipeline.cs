using FcWorker.Binding;
using FcWorker.Handlers;
using FcWorker.Responses;
using Microsoft.Extensions.Logging;

namespace FcWorker.Invocation;

/// <summary>
/// The work of one invocation, whichever transport brought it: reads the payload, binds it to the handler's event,
/// runs the handler and replies with its output, or with <c>InvalidEventError</c> when the event does not bind.
/// </summary>
internal sealed partial class HandlerPipeline(FunctionHandler handler, ILogger logger)
{
    public async Task InvokeAsync(PlatformCall call, InvocationContext context)
    {
        var binder = handler.Binder;
        using var body = binder.ReadsBody
            ? await EventBodyReader.ReadAsync(call.Payload, call.PayloadLength, context.CancellationToken).ConfigureAwait(false)
            : default;
        if (!binder.TryBind(body.Bytes, out var @event, out var error))
        {
            Log.InvalidEvent(logger, context.RequestId, error!);
            await call.Reply.FailAsync(new FcErrorBody(error!, FcErrorTypes.InvalidEvent)).ConfigureAwait(false);
            return;
        }

        var output = await handler.Invoker(context, @event).ConfigureAwait(false);
        using var encoded = handler.Encoder.Encode(output);
        await call.Reply.SucceedAsync(encoded, call.CallerGone).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(WorkerEventIds.InvalidEvent, LogLevel.Warning, "Invalid event, RequestId: {RequestId}: {Reason}")]
        public static partial void InvalidEvent(ILogger logger, string requestId, string reason);
    }
}
