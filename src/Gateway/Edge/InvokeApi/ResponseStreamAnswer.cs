using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Edge.Responses;
using FcGateway.Http;
using FcGateway.Outcomes;
using FcGateway.RuntimeApi;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// The answer of Lambda's InvokeWithResponseStream to an invocation that ran (<see cref="LambdaStreamingInvokeApi"/>):
/// 200 with the output in <c>PayloadChunk</c> events of at most <see cref="MaxChunkBytes"/>, then an <c>InvokeComplete</c>
/// event carrying the log tail (<c>LogResult</c>) and, for a function that failed, its error (<c>ErrorCode</c>,
/// <c>ErrorDetails</c>). A body the function streams is sent on as it comes (<see cref="StreamAsync"/>), its failure
/// told in <c>InvokeComplete</c>; any other output once the function has ended (<see cref="SendAsync"/>).
/// </summary>
internal static class ResponseStreamAnswer
{
    /// <summary>The most output one <c>PayloadChunk</c> carries.</summary>
    public const int MaxChunkBytes = 32 * 1024;

    public const string PayloadChunkEvent = "PayloadChunk";
    public const string InvokeCompleteEvent = "InvokeComplete";

    /// <summary>The <c>ErrorCode</c> of a function error whose body names no type, as Lambda's <c>X-Amz-Function-Error</c>.</summary>
    private const string UnhandledErrorCode = "Unhandled";

    /// <param name="context">The call.</param>
    /// <param name="function">The settings the function ran under.</param>
    /// <param name="contentType">The output's content type (the response's <c>Content-Type</c>, Lambda's <c>ResponseStreamContentType</c>).</param>
    /// <param name="result">How the invocation ended: a success or a function failure.</param>
    /// <param name="output">The output, or the function's error body.</param>
    /// <param name="logTail">The log tail in base64, or null when the caller did not ask for it.</param>
    public static async Task<SentBody> SendAsync(HttpContext context, FunctionSettings function, string contentType, InvocationResult result, ReadOnlyMemory<byte> output, string? logTail)
    {
        using var body = new PooledBuffer();
        var failed = result.Outcome != Outcome.Success;
        if (!failed)
        {
            WritePayloadChunks(body, output.Span);
        }

        WriteInvokeComplete(body, failed ? ErrorOf(context, function, result, output.Span) : null, logTail);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.WrittenCount;
        return await ResponseBodySender.SendAsync(context, body.WrittenMemory);
    }

    /// <summary>
    /// Sends on a body the function streams (<see cref="StreamedReply.TakesWholeBody"/>), each read as <c>PayloadChunk</c>
    /// events flushed at once, then <c>InvokeComplete</c> with how it ended: its failure (the function's error trailers,
    /// its deadline, its connection breaking, <paramref name="maxBytes"/> reached) is told there, in the stream. A client
    /// that went away, or a drain that ended, gets no <c>InvokeComplete</c>, and its connection is reset.
    /// </summary>
    /// <returns>How the sending ended, and the bytes of the function's body sent.</returns>
    public static async Task<(StreamEnd End, long Bytes)> StreamAsync(HttpContext context, FunctionSettings function, StreamedReply streamed, long maxBytes, string? logTail, CancellationToken clientGone)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = streamed.ContentType ?? "application/octet-stream";
        var (end, bytes) = await StreamedResponseSender.SendAsync(context, streamed, maxBytes, WritePayloadChunks, clientGone);
        if (end.Result.Outcome == Outcome.ClientClosed)
        {
            context.Abort();
            return (end, bytes);
        }

        WriteInvokeComplete(response.BodyWriter, end.Result.Outcome == Outcome.Success ? null : ErrorOf(context, function, end.Result, default), logTail);
        try
        {
            await response.BodyWriter.FlushAsync(clientGone);
        }
        catch (OperationCanceledException)
        {
            // The drain ended while a client that takes nothing held the last event.
            context.Abort();
        }

        return (end, bytes);
    }

    private static void WritePayloadChunks(PipeWriter response, ReadOnlySequence<byte> piece)
    {
        foreach (var segment in piece)
        {
            WritePayloadChunks(response, segment.Span);
        }
    }

    private static void WritePayloadChunks(IBufferWriter<byte> writer, ReadOnlySpan<byte> output)
    {
        for (var start = 0; start < output.Length; start += MaxChunkBytes)
        {
            AwsEventStreamMessage.WriteEvent(writer, PayloadChunkEvent, "application/octet-stream", output.Slice(start, Math.Min(MaxChunkBytes, output.Length - start)));
        }
    }

    private static void WriteInvokeComplete(IBufferWriter<byte> writer, (string Code, string Details)? error, string? logTail)
    {
        using var complete = new PooledBuffer();
        WriteCompletion(complete, error, logTail);
        AwsEventStreamMessage.WriteEvent(writer, InvokeCompleteEvent, "application/json", complete.WrittenSpan);
    }

    private static void WriteCompletion(PooledBuffer complete, (string Code, string Details)? error, string? logTail)
    {
        using var writer = new Utf8JsonWriter(complete, GatewayJson.WriterOptions);
        writer.WriteStartObject();
        if (error is var (code, details))
        {
            writer.WriteString("ErrorCode", code);
            writer.WriteString("ErrorDetails", details);
        }

        if (logTail is not null)
        {
            writer.WriteString("LogResult", logTail);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// A failure's code and details: the <c>errorType</c> and <c>errorMessage</c> of the function's error document, else
    /// the type it gave outside its body and the body's text; the gateway's own for a failure the function could not
    /// describe (a timeout, a crash, a bad reply), as Invoke's error document has them.
    /// </summary>
    private static (string Code, string Details) ErrorOf(HttpContext context, FunctionSettings function, InvocationResult result, ReadOnlySpan<byte> errorBody)
    {
        var descriptor = OutcomeTable.Of(result.Outcome);
        if (descriptor.ErrorType is { } gatewaysType)
        {
            return result.ErrorType is { } reported
                ? (reported, result.ErrorMessage ?? result.Reason)
                : LambdaInvokeApi.LambdasFailure(function, result.Outcome, gatewaysType, result.ErrorMessage ?? result.Reason, context.TraceIdentifier);
        }

        var (message, type) = LambdaRuntimeApiWire.ErrorDocument(errorBody);
        return (type ?? result.ErrorType ?? UnhandledErrorCode, message ?? (errorBody.IsEmpty ? result.ErrorMessage ?? result.Reason : Encoding.UTF8.GetString(errorBody)));
    }
}
