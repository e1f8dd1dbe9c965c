using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Push;
using FcGateway.Outcomes;

namespace FcGateway.RuntimeApi;

/// <summary>
/// The runtime API's endpoints for each pull function at <c>/functions/{name}</c> (and each launched instance's prefix),
/// whatever the protocol (<see cref="RuntimeApiWire"/>): <c>next</c> hands a poll the next invocation, <c>response</c> and
/// <c>error</c> answer it once. A reply for an unknown id, for another function, a second reply or one after the
/// invocation ended is refused with a 4xx and changes nothing. Its parts are explained in this folder's README.md.
/// </summary>
internal sealed partial class RuntimeApiEndpoints(GatewaySettingsMonitor settings, RuntimeApiDirectory directory, TimeProvider timeProvider, ILogger<RuntimeApiEndpoints> logger)
{
    /// <summary>An init error is a message for the log and the caller, not an output: more is cut.</summary>
    private const int MaxInitErrorBytes = 64 * 1024;

    /// <summary>The largest payload a poll's answer takes whole into the response's buffer (<see cref="SendAsync"/>).</summary>
    private const int MaxPayloadWrittenWhole = 128 * 1024;

    /// <summary>
    /// An invocation whose answer to a poll did not wholly go out: the worker may have had some of it, so it is not taken
    /// back to be handed out again (it could run twice), but failed at once rather than left waiting for a reply.
    /// </summary>
    private static readonly InvocationResult WorkerWentAway = new(Outcome.WorkerCrashed, "The worker went away while receiving the invocation from the runtime API.");

    /// <param name="context">The worker's poll.</param>
    /// <param name="wire">The protocol it speaks.</param>
    /// <param name="function">The function its address names.</param>
    /// <param name="instance">The launched instance its address names, if any.</param>
    public async Task NextAsync(HttpContext context, RuntimeApiWire wire, string function, string? instance)
    {
        var mailbox = MailboxAt(wire, function, instance);
        if (mailbox is null)
        {
            await RefuseAfterPauseAsync(context, RefusedPollMessage(wire, function, instance));
            return;
        }

        PulledInvocation invocation;
        try
        {
            invocation = await mailbox.NextAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            if (!context.RequestAborted.IsCancellationRequested && (!IsPullFunction(function, wire.Protocol) || (instance is null && IsLaunched(function))))
            {
                // Polls have ended here: the function no longer pulls with this runtime API, or, at its shared address,
                // its instances are now the ones the gateway launches.
                await RefuseAsync(context, StatusCodes.Status404NotFound, RefusedPollMessage(wire, function, instance));
            }
            else if (!context.RequestAborted.IsCancellationRequested)
            {
                // Polls have ended: the gateway is stopping.
                await RefuseAsync(context, StatusCodes.Status503ServiceUnavailable, "The gateway is stopping: no more invocations come from this runtime API.");
            }

            return;
        }

        try
        {
            if (!await SendAsync(context, wire, invocation))
            {
                invocation.Fail(WorkerWentAway);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            invocation.Fail(WorkerWentAway);
        }
        finally
        {
            // Only now may the invocation's buffers go back to the pool, whatever became of it meanwhile.
            invocation.EndSending();
        }
    }

    /// <summary>
    /// Writes the invocation as the poll's answer; false when the poll's connection went away (closed, reset, or half-closed
    /// by the worker) before the answer was wholly handed to it. Kestrel drops what is written to such a connection without
    /// throwing, so only its writer's completion, seen by the flush that ends the payload, tells it. A payload up to
    /// <see cref="MaxPayloadWrittenWhole"/> is written into the response's own buffer, so that one flush both sends it and
    /// tells that; a larger one is copied in steps (its event is never held whole) and flushed once more at its end.
    /// </summary>
    private static async Task<bool> SendAsync(HttpContext context, RuntimeApiWire wire, PulledInvocation invocation)
    {
        var response = context.Response;
        var payload = invocation.Payload;
        wire.WriteInvocationHeaders(response.Headers, invocation);
        response.ContentLength = payload.Length;
        if (payload.Length <= MaxPayloadWrittenWhole)
        {
            payload.WriteWhole(response.BodyWriter);
        }
        else
        {
            await payload.CopyToAsync(response.Body, context.RequestAborted);
        }

        if ((await response.BodyWriter.FlushAsync(context.RequestAborted)).IsCompleted)
        {
            return false;
        }

        await response.CompleteAsync();
        return true;
    }

    /// <summary>
    /// A Lambda process that failed before its first <c>next</c> (wire contract §14): a launched instance is not used, and
    /// the invocations waiting at the address fail with the error it reported.
    /// </summary>
    public async Task InitErrorAsync(HttpContext context, RuntimeApiWire wire, string function, string? instance)
    {
        if (MailboxAt(wire, function, instance) is not { } mailbox)
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, NoAddressMessage(wire, function, instance));
            return;
        }

        // A process that failed needs no longer to say so than it had to start: its InitializationTimeout bounds the read.
        using var body = new PooledBuffer();
        using var timeout = new CancellationTokenSource(settings.Current.GetFunction(function).InitializationTimeout, timeProvider);
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token);
        try
        {
            await ReadBodyAsync(context.Request, body, MaxInitErrorBytes, reading.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // What arrived of the error is reported; the failure itself is what counts.
        }

        Log.InitError(logger, LogText.EscapeField(function), LogText.EscapeField(instance ?? RuntimeApiMailbox.SharedInstanceId), LogText.EscapeText(WorkerErrorText.From(body.WrittenSpan)));
        mailbox.ReportInitError(LambdaRuntimeApiWire.InitFailure(context.Request, body.WrittenSpan));
        wire.AcceptReply(context.Response);
    }

    /// <summary>
    /// A request at the root of the shared listener that no function is served at (<see cref="RootAddress"/>): a poll is
    /// refused after the pause a refused poll gets, anything else (a reply) at once.
    /// </summary>
    public Task RefuseAtRootAsync(HttpContext context, string message) => HttpMethods.IsGet(context.Request.Method)
        ? RefuseAfterPauseAsync(context, message)
        : RefuseAsync(context, StatusCodes.Status404NotFound, message);

    private static partial class Log
    {
        [LoggerMessage(EventIds.RuntimeApiReplyRefused, LogLevel.Warning, "Runtime API: a reply for invocation '{InvocationId}' of function '{Function}' was refused: {Reason}.")]
        public static partial void ReplyRefused(ILogger logger, string function, string invocationId, string reason);

        [LoggerMessage(EventIds.RuntimeApiReplyReading, LogLevel.Debug, "Runtime API: reading the reply to invocation '{InvocationId}' of function '{Function}'.")]
        public static partial void ReplyReading(ILogger logger, string function, string invocationId);

        [LoggerMessage(EventIds.RuntimeApiPollInTheOtherProtocol, LogLevel.Warning, "Runtime API: function '{Function}' is configured for the {Declared} runtime API, but a worker polls it with the {Polled} one; its polls are refused. Set the function's RuntimeApi to the protocol its worker speaks.")]
        public static partial void PollInTheOtherProtocol(ILogger logger, string function, string declared, string polled);

        [LoggerMessage(EventIds.RuntimeApiInitError, LogLevel.Warning, "Runtime API: instance {InstanceId} of function '{Function}' failed to initialize (init/error): {Error}")]
        public static partial void InitError(ILogger logger, string function, string instanceId, string error);
    }
}
