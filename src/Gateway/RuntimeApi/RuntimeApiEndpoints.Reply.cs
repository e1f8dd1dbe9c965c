using FcGateway.Buffers;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Push;
using FcGateway.Outcomes;

namespace FcGateway.RuntimeApi;

/// <summary>
/// A reply (<c>response</c>, <c>error</c>): found, checked, claimed once, read within its invocation's deadline (whole, or
/// its head with the body streamed on), and its invocation completed whatever happened.
/// </summary>
internal sealed partial class RuntimeApiEndpoints
{
    private readonly DeadlinePool _deadlines = new(timeProvider);

    /// <summary>
    /// A reply (<c>response</c>: <paramref name="outcome"/> success; <c>error</c>: a function error) for invocation
    /// <paramref name="id"/>, looked up as it stands in the path: a string of it is made only to refuse it. It counts only
    /// at the address the invocation was handed out from: the same function, the same instance.
    /// </summary>
    public Task ReplyAsync(HttpContext context, RuntimeApiWire wire, string function, string? instance, ReadOnlySpan<char> id, Outcome outcome)
    {
        var invocation = directory.Find(function, id);
        if (invocation is null && wire.LateReply is { } late && directory.TimedOut(function, id))
        {
            return RefuseLateAsync(context, late, function, id.ToString());
        }

        return invocation is null || ReplyAddressAt(wire, function, instance, invocation) is not { } address || !ReferenceEquals(invocation.DeliveredFrom, address)
            ? RefuseNotInFlightAsync(context, wire, function, id.ToString())
            : ReplyToAsync(context, wire, function, invocation, outcome);
    }

    private Task RefuseNotInFlightAsync(HttpContext context, RuntimeApiWire wire, string function, string id)
    {
        Log.ReplyRefused(logger, LogText.EscapeField(function), LogText.EscapeField(id), "no such invocation in flight");
        return RefuseReplyAsync(context, wire, ReplyRefusal.NotInFlight, $"No invocation {id} of function {function} is in flight.");
    }

    /// <summary>A reply for <paramref name="invocation"/>, found in flight at the address it was handed out from.</summary>
    private async Task ReplyToAsync(HttpContext context, RuntimeApiWire wire, string function, PulledInvocation invocation, Outcome outcome)
    {
        // The directory found the invocation by its id ordinally: its own string is the path's id.
        var id = invocation.RequestId;
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

        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.ReplyReading(logger, LogText.EscapeField(function), LogText.EscapeField(id));
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
            wire.AcceptReply(context.Response);
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
}
