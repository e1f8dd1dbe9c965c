using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.Http;

namespace FcGateway.RuntimeApi;

/// <summary>
/// Reads a streamed function URL response (<see cref="StreamedHttpResponse"/>) as it comes: its prelude up to and with
/// the eight zero bytes, leaving the body unread for the client; and, when the client is no longer taking it, the rest,
/// dropped, so that the function's request ends as it should.
/// </summary>
internal static class StreamedReplyBody
{
    public enum Prelude
    {
        /// <summary>The output holds the prelude and the separator (or the head of a body streamed alone); the body is unread.</summary>
        Found,

        /// <summary>The body ended before any separator: the output holds all of it.</summary>
        Ended,

        /// <summary>No separator within the bytes allowed.</summary>
        TooLarge,
    }

    private static ReadOnlySpan<byte> Separator => [0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>Copies into <paramref name="output"/> the bytes up to and with the first separator, and no more.</summary>
    public static async Task<Prelude> ReadPreludeAsync(PipeReader body, PooledBuffer output, int maxBytes, CancellationToken cancellation)
    {
        while (true)
        {
            var read = await body.ReadAsync(cancellation);
            var buffer = read.Buffer;
            var end = SeparatorEnd(buffer);
            if (end is { } found)
            {
                var prelude = buffer.Slice(0, found);
                if (prelude.Length > maxBytes)
                {
                    body.AdvanceTo(buffer.Start);
                    return Prelude.TooLarge;
                }

                prelude.CopyTo(output.GetSpan((int)prelude.Length));
                output.Advance((int)prelude.Length);
                body.AdvanceTo(found);
                return Prelude.Found;
            }

            if (buffer.Length > maxBytes)
            {
                body.AdvanceTo(buffer.Start);
                return Prelude.TooLarge;
            }

            if (read.IsCompleted)
            {
                buffer.CopyTo(output.GetSpan((int)buffer.Length));
                output.Advance((int)buffer.Length);
                body.AdvanceTo(buffer.End);
                return Prelude.Ended;
            }

            body.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// Writes into <paramref name="output"/> the head of a body streamed with no prelude, as the response document the
    /// function URL dialect reads: status 200 and <paramref name="contentType"/> (<c>application/octet-stream</c>, the
    /// runtime clients' default, when there is none); the body is unread.
    /// </summary>
    public static Prelude WriteBodyOnlyHead(PooledBuffer output, string? contentType)
    {
        using var writer = new Utf8JsonWriter(output, GatewayJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteNumber("statusCode", StatusCodes.Status200OK);
        writer.WriteStartObject("headers");
        writer.WriteString("content-type", string.IsNullOrEmpty(contentType) ? "application/octet-stream" : contentType);
        writer.WriteEndObject();
        writer.WriteEndObject();
        return Prelude.Found;
    }

    /// <summary>Reads the rest of the body and drops it.</summary>
    public static async Task DropRestAsync(PipeReader body, CancellationToken cancellation)
    {
        while (true)
        {
            var read = await body.ReadAsync(cancellation);
            body.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>The position just after the first separator, or null when there is none yet.</summary>
    private static SequencePosition? SeparatorEnd(in ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> _, Separator) ? reader.Position : null;
    }
}
