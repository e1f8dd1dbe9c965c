using System.Buffers;
using System.IO.Pipelines;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Outcomes;

namespace FcGateway.Edge.Responses;

/// <summary>Writes one piece of a streamed body to the client's response, framed as the response frames it.</summary>
internal delegate void StreamedPieceWriter(PipeWriter response, ReadOnlySequence<byte> piece);

/// <summary>
/// Sends on a body a Lambda function streams (<see cref="StreamedReply"/>) as it comes, each read written by a
/// <see cref="StreamedPieceWriter"/> and flushed to the client, within the response size limit and the invocation's
/// deadline. The caller ends the response: a body that could not be sent whole (the function's error trailers, its
/// deadline, its connection breaking, the limit) must not pass for a whole one.
/// </summary>
internal static class StreamedResponseSender
{
    /// <summary>Writes a piece as it came: the client's response is the body itself.</summary>
    public static readonly StreamedPieceWriter AsItCame = static (response, piece) =>
    {
        foreach (var segment in piece)
        {
            response.Write(segment.Span);
        }
    };

    /// <param name="context">The client's request, its status and headers set.</param>
    /// <param name="streamed">The body, handed over by the runtime API.</param>
    /// <param name="maxBytes">The response size limit.</param>
    /// <param name="write">How each piece is written to the response.</param>
    /// <param name="clientGone">Fires when the client goes away or the gateway can wait no longer.</param>
    /// <returns>How the sending ended (also told to <paramref name="streamed"/>), and the bytes of the function's body sent.</returns>
    public static async Task<(StreamEnd End, long Bytes)> SendAsync(
        HttpContext context, StreamedReply streamed, long maxBytes, StreamedPieceWriter write, CancellationToken clientGone)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(streamed.Stopped, clientGone);
        var body = streamed.Body;
        var writer = context.Response.BodyWriter;
        var sending = !HttpMethods.IsHead(context.Request.Method);
        long sent = 0;
        var end = new StreamEnd(InvocationResult.Success, StreamRest.Dropped);
        try
        {
            // The status and headers go at once, not with the body's first piece: a function may send its prelude and
            // only then wait for what it streams (events pushed as they happen, say).
            var started = await writer.FlushAsync(stop.Token);
            if (started.IsCompleted || started.IsCanceled)
            {
                end = ClientGone;
                sending = false;
            }

            while (sending)
            {
                var read = await body.ReadAsync(stop.Token);
                var buffer = read.Buffer;
                if (sent + buffer.Length > maxBytes)
                {
                    body.AdvanceTo(buffer.Start);
                    end = new(new(Outcome.BadResponse, $"The function's streamed response exceeds {maxBytes} bytes."), StreamRest.Cut);
                    break;
                }

                write(writer, buffer);

                sent += buffer.Length;
                body.AdvanceTo(buffer.End);
                var flushed = await writer.FlushAsync(stop.Token);
                if (flushed.IsCompleted || flushed.IsCanceled)
                {
                    end = ClientGone;
                    break;
                }

                if (read.IsCompleted)
                {
                    end = new(streamed.FailureAtEnd() ?? InvocationResult.Success, StreamRest.None);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!streamed.Stopped.IsCancellationRequested)
        {
            end = ClientGone;
        }
        catch (OperationCanceledException) when (!streamed.FunctionGone.IsCancellationRequested)
        {
            end = new(new(Outcome.Timeout, "The function ran out of time while it streamed its response."), StreamRest.Cut);
        }
        catch (Exception ex) when (ex is OperationCanceledException or BadHttpRequestException or IOException)
        {
            // The function's connection ended, or broke its chunked framing, before the body's end.
            end = new(new(Outcome.WorkerCrashed, "The function's connection ended while it streamed its response."), StreamRest.Cut);
        }

        // Unlinked from the runtime API's deadline before that is handed back, and may be reused.
        stop.Dispose();
        streamed.End(end);
        return (end, sent);
    }

    private static StreamEnd ClientGone => new(new(Outcome.ClientClosed, "The client went away while the function streamed its response."), StreamRest.Dropped);
}
