using System.Collections.Concurrent;
using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Push;
using FcGateway.Http;
using FcGateway.Outcomes;

namespace FcGateway.RuntimeApi;

/// <summary>
/// The runtime API's endpoints for each pull function at <c>/functions/{name}</c> (and each launched instance's prefix),
/// whatever the protocol (<see cref="RuntimeApiWire"/>): <c>next</c> hands a poll the next invocation, <c>response</c> and
/// <c>error</c> answer it once. A reply for an unknown id, for another function, a second reply or one after the
/// invocation ended is refused with a 4xx and changes nothing.
/// </summary>
internal sealed partial class RuntimeApiEndpoints(GatewaySettingsMonitor settings, RuntimeApiDirectory directory, TimeProvider timeProvider, ILogger<RuntimeApiEndpoints> logger)
{
    /// <summary>An init error is a message for the log and the caller, not an output: more is cut.</summary>
    private const int MaxInitErrorBytes = 64 * 1024;

    /// <summary>
    /// How long a poll that cannot be served waits before its 404: the runtime clients poll again at once after a failed
    /// <c>next</c>, so an immediate answer would make a misconfigured worker spin.
    /// </summary>
    public static readonly TimeSpan RefusedPollDelay = TimeSpan.FromSeconds(1);

    private readonly DeadlinePool _deadlines = new(timeProvider);

    /// <summary>The configured functions polled in the other protocol, logged once each: bounded by the configuration.</summary>
    private readonly ConcurrentDictionary<(string Function, RuntimeApiProtocol Polled), bool> _protocolMismatchesLogged = new();

    /// <param name="context">The worker's poll.</param>
    /// <param name="wire">The protocol it speaks.</param>
    public async Task NextAsync(HttpContext context, RuntimeApiWire wire)
    {
        var (function, instance) = AddressOf(context);
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
            if (!context.RequestAborted.IsCancellationRequested && !IsPullFunction(function, wire.Protocol))
            {
                // Polls have ended here: the function no longer pulls with this runtime API.
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
            var response = context.Response;
            wire.WriteInvocationHeaders(response.Headers, invocation);
            response.ContentLength = invocation.Payload.Headers.ContentLength;
            await invocation.Payload.CopyToAsync(response.Body, context.RequestAborted);
            await response.CompleteAsync();
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            invocation.Fail(new(Outcome.WorkerCrashed, "The worker went away while receiving the invocation from the runtime API."));
        }
        finally
        {
            // Only now may the invocation's buffers go back to the pool, whatever became of it meanwhile.
            invocation.EndSending();
        }
    }

    public Task ResponseAsync(HttpContext context, RuntimeApiWire wire) => ReplyAsync(context, wire, Outcome.Success);

    public Task ErrorAsync(HttpContext context, RuntimeApiWire wire) => ReplyAsync(context, wire, Outcome.FunctionError);

    /// <summary>
    /// A Lambda process that failed before its first <c>next</c> (wire contract §14): a launched instance is not used, and
    /// the invocations waiting at the address fail with the error it reported.
    /// </summary>
    public async Task InitErrorAsync(HttpContext context, RuntimeApiWire wire)
    {
        var (function, instance) = AddressOf(context);
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
        context.Response.StatusCode = wire.ReplyAcceptedStatus;
    }

    /// <summary>A reply counts only at the address the invocation was handed out from: the same function, the same instance.</summary>
    private async Task ReplyAsync(HttpContext context, RuntimeApiWire wire, Outcome outcome)
    {
        var (function, instance) = AddressOf(context);
        var id = (string)context.Request.RouteValues[RuntimeApiPaths.IdRouteValue]!;
        var invocation = directory.Find(function, id);
        if (invocation is null && wire.LateReply is { } late && directory.TimedOut(function, id))
        {
            await RefuseLateAsync(context, late, function, id);
            return;
        }

        if (invocation is null || ReplyAddressAt(wire, function, instance, invocation) is not { } address || !ReferenceEquals(invocation.DeliveredFrom, address))
        {
            Log.ReplyRefused(logger, LogText.EscapeField(function), LogText.EscapeField(id), "no such invocation in flight");
            await RefuseReplyAsync(context, wire, ReplyRefusal.NotInFlight, $"No invocation {id} of function {function} is in flight.");
            return;
        }

        if (wire.LateReply is { } earlier && wire.IsForAnEarlierAttempt(context.Request, invocation))
        {
            await RefuseLateAsync(context, earlier, function, id);
            return;
        }

        if (!invocation.TryClaimReply())
        {
            Log.ReplyRefused(logger, LogText.EscapeField(function), LogText.EscapeField(id), "already answered, or ended");
            await RefuseReplyAsync(context, wire, ReplyRefusal.AlreadyAnswered, $"Invocation {id} was already answered, or has ended.");
            return;
        }

        var maxBytes = invocation.Gateway.Limits.MaxResponseBodyBytes;
        ReplyRefusal? refusal = null;
        InvocationResult result = new(Outcome.WorkerCrashed, "The worker went away while sending its reply to the runtime API.");
        var readWhole = false;

        // A claimed reply holds the invocation until it is read: reading it is bounded by the deadline, as running it was.
        var deadline = _deadlines.Rent(Remaining(invocation.Deadline));
        var workerGone = context.RequestAborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
        try
        {
            // A declared length over the limit is refused unread; an initialization error (above) keeps what fits instead.
            var streamed = outcome == Outcome.Success ? invocation.StreamedReply : null;
            var prelude = streamed is null ? StreamedReplyBody.Prelude.Ended : await PreludeAsync(context.Request, wire, invocation, streamed, deadline.Token);
            if (prelude == StreamedReplyBody.Prelude.TooLarge)
            {
                refusal = ReplyRefusal.TooLarge;
                result = new(Outcome.BadResponse, $"The head of the function's streamed response exceeds {invocation.Gateway.Limits.MaxResponseHeaderBytes} bytes.");
            }
            else if (prelude == StreamedReplyBody.Prelude.Found)
            {
                result = await SendOnAsync(context, wire, invocation, streamed!, deadline.Token);
            }
            else if (context.Request.ContentLength > maxBytes || !await ReadBodyAsync(context.Request, invocation.Output, maxBytes, deadline.Token))
            {
                refusal = ReplyRefusal.TooLarge;
                result = new(Outcome.BadResponse, $"The function's output exceeds {maxBytes} bytes.");
            }
            else
            {
                // An error as the deadline passes is the timeout (FunctionDeadline); the reply, read whole, is taken.
                result = outcome == Outcome.FunctionError
                    ? FunctionDeadline.TimeoutIfLate(
                        wire.CompleteError(context.Request, invocation.Output), invocation.Deadline - timeProvider.GetUtcNow(), invocation.Function.Timeout)
                    : wire.CompleteResponse(context.Request, invocation.Output);
                readWhole = true;
            }
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            result = new(Outcome.Timeout, $"{TimeoutText.For(invocation.Function.Timeout)} (while it sent its reply).");
        }
        catch (BadHttpRequestException ex) when (context.Request.ContentLength is not null || context.RequestAborted.IsCancellationRequested || EndedEarly(ex))
        {
            // The worker went away before its reply's end. A body framed by its length has no framing to break, and this
            // listener sets no body size or rate limit (RuntimeApiListenerLimits): its refusal can only mean the
            // connection ended before the declared bytes came. A chunked body is told from a malformed one by Kestrel's
            // message, or by the abort once it is visible (signalled later, from the thread pool).
        }
        catch (BadHttpRequestException)
        {
            // Kestrel's message may quote what the worker sent; the fixed reason is enough.
            refusal = ReplyRefusal.NotHttp;
            result = new(Outcome.BadResponse, "The function's reply to the runtime API is not valid HTTP (its chunked body or its trailers).");
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The result stays the worker's failure.
        }
        finally
        {
            // Whatever happened, the claimed reply ends the invocation: nobody else may.
            invocation.CompleteReply(result);
            invocation.StreamedReply?.Finish(result);
            workerGone.Dispose();
            _deadlines.Return(deadline);
        }

        // Only a reply too large or not HTTP is refused; any other bad output was taken (202), as Lambda takes it, and
        // fails the invocation.
        if (refusal is { } refused)
        {
            await RefuseReplyAsync(context, wire, refused, result.Reason);
        }
        else if (!readWhole && (result.Outcome is Outcome.Timeout or Outcome.WorkerCrashed))
        {
            // The rest of the body may never come, or its connection is gone: it is dropped rather than drained (Kestrel's
            // drain of a body whose read failed would fail in turn, logging an error).
            context.Abort();
        }
        else if (!context.RequestAborted.IsCancellationRequested)
        {
            context.Response.StatusCode = wire.ReplyAcceptedStatus;
        }
    }

    /// <summary>
    /// Hands a streamed response whose prelude is in the output (or, for a reply that takes it whole, all of it unread) to
    /// the trigger or the API that sends it on, ends the invocation with its head, and waits until the body was sent or
    /// the sending stopped; what the client did not take is read and dropped. The result is how the sending ended: a
    /// body that could not be sent whole (cut by the deadline, the size limit, the function's error trailers) makes its
    /// invocation fail.
    /// </summary>
    private static async Task<InvocationResult> SendOnAsync(HttpContext context, RuntimeApiWire wire, PulledInvocation invocation, StreamedReply streamed, CancellationToken deadline)
    {
        var head = streamed.TakesWholeBody ? InvocationResult.Success : wire.CompleteResponse(context.Request, invocation.Output);
        if (head.Outcome != Outcome.Success)
        {
            // A head the function URL rules cannot read fails the invocation; the body is taken, as any bad output is.
            await StreamedReplyBody.DropRestAsync(context.Request.BodyReader, deadline);
            return head;
        }

        streamed.Start(context.Request.BodyReader, context.Request.ContentType, () => wire.StreamFailure(context.Request), deadline, context.RequestAborted);
        invocation.CompleteReply(head);
        var end = await streamed.Ended;
        if (end.Rest == StreamRest.Dropped)
        {
            await StreamedReplyBody.DropRestAsync(context.Request.BodyReader, deadline);
        }
        else if (end.Rest == StreamRest.Cut)
        {
            context.Abort();
        }

        return end.Result;
    }

    /// <summary>
    /// Where a <c>response</c> the invocation may take streamed stands once its head is read: a streamed function URL
    /// response's prelude read into the output, a body streamed alone given its head there, either handed over whole
    /// and unread where the reply takes it so, anything else left to be read whole.
    /// </summary>
    private static async ValueTask<StreamedReplyBody.Prelude> PreludeAsync(
        HttpRequest request, RuntimeApiWire wire, PulledInvocation invocation, StreamedReply streamed, CancellationToken deadline)
    {
        if (streamed.TakesWholeBody)
        {
            return wire.IsStreamedResponse(request) || wire.IsStreamedBodyOnly(request) ? StreamedReplyBody.Prelude.Found : StreamedReplyBody.Prelude.Ended;
        }

        return wire.IsStreamedResponse(request)
            ? await StreamedReplyBody.ReadPreludeAsync(request.BodyReader, invocation.Output, invocation.Gateway.Limits.MaxResponseHeaderBytes, deadline)
            : wire.IsStreamedBodyOnly(request) ? StreamedReplyBody.WriteBodyOnlyHead(invocation.Output, request.ContentType)
            : StreamedReplyBody.Prelude.Ended;
    }

    /// <summary>A reply whose invocation timed out, refused as the protocol refuses it (<see cref="RuntimeApiWire.LateReply"/>).</summary>
    private Task RefuseLateAsync(HttpContext context, (int Status, string Message, string ErrorType) late, string function, string id)
    {
        Log.ReplyRefused(logger, LogText.EscapeField(function), LogText.EscapeField(id), "its invocation timed out");
        return RefuseAsync(context, late.Status, late.Message, late.ErrorType);
    }

    /// <summary>
    /// Kestrel's reason for refusing a body (<c>RequestRejectionReason.UnexpectedEndOfRequestContent</c>) is internal; its
    /// message is the public trace of a connection that ended inside the body (a chunked one included).
    /// </summary>
    private static bool EndedEarly(BadHttpRequestException exception) =>
        exception.Message.StartsWith("Unexpected end of request content", StringComparison.Ordinal);

    private TimeSpan Remaining(DateTimeOffset deadline)
    {
        var remaining = deadline - timeProvider.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    private static (string Function, string? Instance) AddressOf(HttpContext context)
    {
        var values = context.Request.RouteValues;
        return ((string)values[RuntimeApiPaths.FunctionRouteValue]!, values[RuntimeApiPaths.InstanceRouteValue] as string);
    }

    /// <summary>
    /// The address a worker speaking <paramref name="wire"/> reached, or null when it serves no such function or instance.
    /// A launched instance's address is its own until the instance exits, whatever a reload did to its function since: the
    /// instance of a function an edit removed (or made to take pushed invocations) polls there for its pre-stop while it
    /// is being stopped. Only a function that now pulls with the other runtime API refuses it.
    /// </summary>
    private RuntimeApiMailbox? MailboxAt(RuntimeApiWire wire, string function, string? instance) =>
        instance is null ? (IsPullFunction(function, wire.Protocol) ? directory.MailboxOf(function) : null)
        : settings.Current.GetFunction(function).RuntimeApi is { } pulled && pulled != wire.Protocol ? null
        : directory.InstanceMailbox(function, instance);

    /// <summary>
    /// Where a reply for <paramref name="invocation"/> counts: the address it was handed out from, in the protocol it was
    /// handed out in. A launched instance's address is its own for as long as it runs, and a function's shared address
    /// stays the one its workers took the invocation from, so the invocations they took before a reload removed the
    /// function (or made it take pushed invocations) finish under the settings they started with, as every in-flight
    /// invocation does; a launched instance is stopped once it runs nothing.
    /// </summary>
    private RuntimeApiMailbox? ReplyAddressAt(RuntimeApiWire wire, string function, string? instance, PulledInvocation invocation) =>
        invocation.Function.RuntimeApi != wire.Protocol ? null
        : instance is not null ? directory.InstanceMailbox(function, instance)
        : invocation.DeliveredFrom is { IsShared: true } shared ? shared
        : null;

    /// <summary>
    /// Why a poll gets no invocation. A worker of a configured function that polls in the other protocol (a Lambda runtime
    /// client given the address of an FC function, or the reverse) is told which one to speak, and the gateway's log
    /// says so once per function and protocol: the worker polls again after every pause, and would repeat the line.
    /// </summary>
    private string RefusedPollMessage(RuntimeApiWire wire, string function, string? instance)
    {
        if (instance is null && settings.Current.Functions.TryGetValue(function, out var configured)
            && configured.RuntimeApi is { } declared && declared != wire.Protocol)
        {
            if (_protocolMismatchesLogged.TryAdd((function, wire.Protocol), true))
            {
                Log.PollInTheOtherProtocol(logger, LogText.EscapeField(function), ProtocolName(declared), ProtocolName(wire.Protocol));
            }

            return $"Function {function} is configured for the {ProtocolName(declared)} runtime API, and this worker polls with the {ProtocolName(wire.Protocol)} one ({wire.VersionPath}): set the function's RuntimeApi to {wire.Protocol.ToString().ToLowerInvariant()}, or run a worker built for {ProtocolName(declared)}.";
        }

        return NoAddressMessage(wire, function, instance);
    }

    private static string ProtocolName(RuntimeApiProtocol protocol) => protocol == RuntimeApiProtocol.Lambda ? "AWS Lambda" : "FC";

    private static string NoAddressMessage(RuntimeApiWire wire, string function, string? instance) => instance is null
        ? $"Function {function} does not pull its invocations from this runtime API ({wire.VersionPath})."
        : $"Function {function} has no running instance {instance}.";

    private bool IsPullFunction(string function, RuntimeApiProtocol protocol) =>
        settings.Current.Functions.TryGetValue(function, out var settingsOfFunction) && settingsOfFunction.RuntimeApi == protocol;

    /// <summary>Copies the body into <paramref name="output"/>; false when it is longer than <paramref name="maxBytes"/>.</summary>
    private static async Task<bool> ReadBodyAsync(HttpRequest request, PooledBuffer output, long maxBytes, CancellationToken cancellation)
    {
        if (request.ContentLength is long declared)
        {
            output.ReserveFor(Math.Min(declared, maxBytes));
        }

        var body = request.BodyReader;
        while (true)
        {
            var read = await body.ReadAsync(cancellation);
            foreach (var segment in read.Buffer)
            {
                if (output.WrittenCount + segment.Length > maxBytes)
                {
                    body.AdvanceTo(read.Buffer.End);
                    return false;
                }

                segment.Span.CopyTo(output.GetSpan(segment.Length));
                output.Advance(segment.Length);
            }

            body.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// A request at the root of the shared listener that no function is served at (<see cref="RootAddress"/>): a poll is
    /// refused after the pause a refused poll gets, anything else (a reply) at once.
    /// </summary>
    public Task RefuseAtRootAsync(HttpContext context, string message) => HttpMethods.IsGet(context.Request.Method)
        ? RefuseAfterPauseAsync(context, message)
        : RefuseAsync(context, StatusCodes.Status404NotFound, message);

    /// <summary>A 404 after <see cref="RefusedPollDelay"/>, unless the worker goes away first.</summary>
    private async Task RefuseAfterPauseAsync(HttpContext context, string message)
    {
        try
        {
            await Task.Delay(RefusedPollDelay, timeProvider, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await RefuseAsync(context, StatusCodes.Status404NotFound, message);
    }

    private static Task RefuseReplyAsync(HttpContext context, RuntimeApiWire wire, ReplyRefusal refusal, string message) =>
        RefuseAsync(context, wire.RefusalStatus(refusal), message, wire.RefusalErrorType(refusal));

    private static async Task RefuseAsync(HttpContext context, int status, string message, string? errorType = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, GatewayJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("errorMessage", message);
        if (errorType is not null)
        {
            writer.WriteString("errorType", errorType);
        }

        writer.WriteEndObject();
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.RuntimeApiReplyRefused, LogLevel.Warning, "Runtime API: a reply for invocation '{InvocationId}' of function '{Function}' was refused: {Reason}.")]
        public static partial void ReplyRefused(ILogger logger, string function, string invocationId, string reason);

        [LoggerMessage(EventIds.RuntimeApiPollInTheOtherProtocol, LogLevel.Warning, "Runtime API: function '{Function}' is configured for the {Declared} runtime API, but a worker polls it with the {Polled} one; its polls are refused. Set the function's RuntimeApi to the protocol its worker speaks.")]
        public static partial void PollInTheOtherProtocol(ILogger logger, string function, string declared, string polled);

        [LoggerMessage(EventIds.RuntimeApiInitError, LogLevel.Warning, "Runtime API: instance {InstanceId} of function '{Function}' failed to initialize (init/error): {Error}")]
        public static partial void InitError(ILogger logger, string function, string instanceId, string error);
    }
}
