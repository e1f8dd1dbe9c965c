using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Push;
using FcGateway.Outcomes;
using Microsoft.Extensions.Primitives;

namespace FcGateway.RuntimeApi;

/// <summary>
/// FC's runtime API (wire contract §13) for each pull function at <c>/functions/{name}</c>: <c>next</c> hands a poll the
/// next invocation, <c>response</c> and <c>error</c> answer it once. A reply for an unknown id, for another function, a
/// second reply or one after the invocation ended is refused with a 4xx and changes nothing.
/// </summary>
internal sealed partial class RuntimeApiEndpoints(GatewaySettingsMonitor settings, RuntimeApiDirectory directory, TimeProvider timeProvider, ILogger<RuntimeApiEndpoints> logger)
{
    private const string FunctionTypeHeader = "x-fc-function-type";
    private const string DeadlineHeader = "x-fc-function-deadline";
    private const string RetryCountHeader = "x-fc-retry-count";
    private const int ReadChunkBytes = 16 * 1024;

    /// <summary>
    /// How long a poll that cannot be served waits before its 404: fc-runtime-go-sdk polls again at once after a failed
    /// <c>next</c>, so an immediate answer would make a misconfigured worker spin.
    /// </summary>
    public static readonly TimeSpan RefusedPollDelay = TimeSpan.FromSeconds(1);

    /// <param name="context">The worker's poll.</param>
    /// <param name="function">The function it serves.</param>
    /// <param name="instance">The launched instance it is, or null for a worker on the function's shared address.</param>
    public async Task NextAsync(HttpContext context, string function, string? instance = null)
    {
        var mailbox = !IsPullFunction(function) ? null
            : instance is null ? directory.MailboxOf(function)
            : directory.InstanceMailbox(function, instance);
        if (mailbox is null)
        {
            try
            {
                await Task.Delay(RefusedPollDelay, timeProvider, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RefuseAsync(context, StatusCodes.Status404NotFound, instance is null
                ? $"Function {function} does not pull its invocations from this runtime API."
                : $"Function {function} has no running instance {instance}.");
            return;
        }

        PulledInvocation invocation;
        try
        {
            invocation = await mailbox.NextAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            var response = context.Response;
            var sink = new ResponseHeaderSink(response.Headers);
            FcInvocationHeaders.Write(ref sink, invocation.RequestId, invocation.FunctionName, invocation.Function, invocation.Gateway);
            response.Headers[DeadlineHeader] = HeaderNumbers.Format(invocation.Deadline.ToUnixTimeMilliseconds());
            response.Headers[FunctionTypeHeader] = invocation.FunctionType;
            response.Headers[RetryCountHeader] = "0";
            response.ContentType = "application/octet-stream";
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

    public Task ResponseAsync(HttpContext context, string function, string id, string? instance = null) =>
        ReplyAsync(context, function, id, instance, Outcome.Success);

    public Task ErrorAsync(HttpContext context, string function, string id, string? instance = null) =>
        ReplyAsync(context, function, id, instance, Outcome.FunctionError);

    /// <summary>A reply counts only at the address the invocation was handed out from: the same function, the same instance.</summary>
    private async Task ReplyAsync(HttpContext context, string function, string id, string? instance, Outcome outcome)
    {
        var invocation = directory.Find(function, id);
        var address = invocation is null ? null
            : instance is null ? directory.MailboxOf(function)
            : directory.InstanceMailbox(function, instance);
        if (invocation is null || address is null || !ReferenceEquals(invocation.DeliveredFrom, address))
        {
            Log.ReplyRefused(logger, LogText.Escape(function), LogText.Escape(id), "no such invocation in flight");
            await RefuseAsync(context, StatusCodes.Status404NotFound, $"No invocation {id} of function {function} is in flight.");
            return;
        }

        if (!invocation.TryClaimReply())
        {
            Log.ReplyRefused(logger, LogText.Escape(function), LogText.Escape(id), "already answered, or ended");
            await RefuseAsync(context, StatusCodes.Status409Conflict, $"Invocation {id} was already answered, or has ended.");
            return;
        }

        var maxBytes = invocation.Gateway.Limits.MaxResponseBodyBytes;
        InvocationResult result = new(Outcome.WorkerCrashed, "The worker went away while sending its reply to the runtime API.");
        try
        {
            result = await ReadBodyAsync(context.Request.BodyReader, invocation.Output, maxBytes, context.RequestAborted)
                ? outcome == Outcome.Success ? InvocationResult.Success : new(Outcome.FunctionError, "The function failed (runtime API error).")
                : new(Outcome.BadResponse, $"The function's output exceeds {maxBytes} bytes.");
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The result stays the worker's failure.
        }
        finally
        {
            // Whatever happened, the claimed reply ends the invocation: nobody else may.
            invocation.CompleteReply(result);
        }

        if (result.Outcome == Outcome.BadResponse)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, result.Reason);
        }
        else if (!context.RequestAborted.IsCancellationRequested)
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
    }

    private bool IsPullFunction(string function) =>
        settings.Current.Functions.TryGetValue(function, out var settingsOfFunction) && settingsOfFunction.RuntimeApi == RuntimeApiProtocol.Fc;

    /// <summary>Copies the body into <paramref name="output"/>; false when it is longer than <paramref name="maxBytes"/>.</summary>
    private static async Task<bool> ReadBodyAsync(PipeReader body, PooledBuffer output, long maxBytes, CancellationToken cancellation)
    {
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

    private static async Task RefuseAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteString("errorMessage", message);
        writer.WriteEndObject();
    }

    private readonly struct ResponseHeaderSink(IHeaderDictionary headers) : FcInvocationHeaders.ISink
    {
        public void Add(string name, string value) => headers[name] = new StringValues(value);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.RuntimeApiReplyRefused, LogLevel.Warning, "Runtime API: a reply for invocation '{InvocationId}' of function '{Function}' was refused: {Reason}.")]
        public static partial void ReplyRefused(ILogger logger, string function, string invocationId, string reason);
    }
}
