using System.Text;
using FcGateway.Buffers;

namespace FcGateway.Dispatch.Push;

/// <summary>Reads and judges a worker's reply (wire contract §2).</summary>
internal static class WorkerReply
{
    /// <summary>How much an output of undeclared length grows by, per read.</summary>
    public const int ReadChunkBytes = 16 * 1024;

    private const string ContentLengthHeader = "Content-Length";
    private const string ContentEncodingHeader = "Content-Encoding";

    /// <summary>
    /// What the reply is judged by. Success is a 2xx status with no <c>x-fc-status</c> or with <c>x-fc-status: 200</c>
    /// (on every line it is sent on: a <c>404</c> among them is a failure).
    /// </summary>
    public static WorkerReplyHead Head(HttpResponseMessage reply)
    {
        string? fcStatus = null;
        var fcStatusIsSuccess = true;
        if (reply.Headers.NonValidated.TryGetValues(WorkerHeaderNames.Status, out var values))
        {
            fcStatus = string.Join(",", values);
            foreach (var value in values)
            {
                fcStatusIsSuccess &= value.AsSpan().Trim().SequenceEqual("200");
            }
        }

        var head = new WorkerReplyHead((int)reply.StatusCode, fcStatus, fcStatusIsSuccess, null);
        return head.IsSuccess ? head : head with { ContentType = reply.Content.Headers.ContentType?.ToString() };
    }

    public static bool IsSuccess(HttpResponseMessage reply) => Head(reply).IsSuccess;

    public static string Describe(HttpResponseMessage reply) => Head(reply).Describe();

    /// <summary>
    /// What keeps the reply's body from being the output: a Content-Length that cannot frame it
    /// (<see cref="ContentLengthRule"/>) or a content coding on a reply that can have a body (<see cref="ContentCodingRule"/>),
    /// else null.
    /// </summary>
    public static string? UnreadableBody(HttpResponseMessage reply) =>
        UnusableContentLength(reply) ?? (ContentCodingRule.AppliesTo((int)reply.StatusCode) ? ContentCoding(reply) : null);

    private static string? ContentCoding(HttpResponseMessage reply)
    {
        if (!reply.Content.Headers.NonValidated.TryGetValues(ContentEncodingHeader, out var values))
        {
            return null;
        }

        foreach (var value in values)
        {
            if (!ContentCodingRule.IsIdentity(value.AsSpan()))
            {
                return ContentCodingRule.Describe(string.Join(", ", values));
            }
        }

        return null;
    }

    private static string? UnusableContentLength(HttpResponseMessage reply)
    {
        if (!reply.Content.Headers.NonValidated.TryGetValues(ContentLengthHeader, out var values))
        {
            return null;
        }

        var state = ContentLengthRule.State.Absent;
        long length = 0;
        foreach (var value in values)
        {
            state = ContentLengthRule.Read(value.AsSpan(), state, ref length);
        }

        return ContentLengthRule.Describe(state, string.Join(", ", values));
    }

    /// <summary>
    /// The start of the reply's body, at most <paramref name="maxBytes"/>, read as bytes and decoded as UTF-8 (a charset
    /// its Content-Type names that .NET does not know would make a text read throw), for a log line or an error's reason;
    /// <c>IsHead</c> when there is more, which is not read.
    /// </summary>
    public static async Task<(string Text, bool IsHead)> BodyHeadAsync(HttpResponseMessage reply, int maxBytes, CancellationToken cancellationToken)
    {
        var head = new byte[maxBytes + 1];
        await using var body = await reply.Content.ReadAsStreamAsync(cancellationToken);
        var read = await body.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        return (Encoding.UTF8.GetString(head, 0, Math.Min(read, maxBytes)), read > maxBytes);
    }

    /// <summary>Copies the reply body into <paramref name="output"/>; false when it is longer than <paramref name="maxBytes"/>.</summary>
    public static async Task<bool> TryReadBodyAsync(HttpResponseMessage reply, PooledBuffer output, long maxBytes, CancellationToken cancellationToken)
    {
        var declared = reply.Content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            return false;
        }

        // The handler's content has its stream at hand: asking for it synchronously costs no task.
        await using var body = reply.Content.ReadAsStream(cancellationToken);
        while (true)
        {
            var room = declared is long length ? RoomFor(length, output.WrittenCount) : ReadChunkBytes;
            var read = await body.ReadAsync(output.GetMemory(room), cancellationToken);
            if (read == 0)
            {
                return true;
            }

            output.Advance(read);
            if (output.WrittenCount > maxBytes)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// Room for the rest of a declared length, one byte over so the read that finds the end needs no more: the buffer is
    /// sized once and each read takes all that has arrived. Ahead of the bytes, at most
    /// <see cref="PooledBuffer.MaxReservedAhead"/>, or as much as has arrived, so the buffer never more than doubles on
    /// the worker's word alone. An undeclared length grows by chunks.
    /// </summary>
    internal static int RoomFor(long declared, int written) =>
        (int)Math.Max(Math.Min(declared + 1 - written, Math.Max(PooledBuffer.MaxReservedAhead, written)), 1);
}
