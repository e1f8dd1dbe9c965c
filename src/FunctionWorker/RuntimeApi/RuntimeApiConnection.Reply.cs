using System.Buffers;
using System.Buffers.Text;

namespace FcWorker.RuntimeApi;

/// <summary>
/// A reply's post: its head, its body and the next poll in one send while they fit <see cref="OneSendBytes"/>; a larger
/// body is sent from where it is, and a stream in chunks as it is read.
/// </summary>
internal sealed partial class RuntimeApiConnection
{
    private const int OneSendBytes = 64 * 1024;
    private const int ChunkBytes = 16 * 1024;

    private async Task SendReplyAsync(string requestId, string outcome, ReplyBody body, bool thenPoll, CancellationToken cancellationToken)
    {
        var escapedId = Uri.EscapeDataString(requestId);
        var maxHead = _requests.MaxReplyHeadBytes(escapedId, outcome, body.ContentType);
        var poll = thenPoll ? _requests.Next : ReadOnlyMemory<byte>.Empty;
        var inline = body.Stream is null && maxHead + body.Bytes.Length + poll.Length <= OneSendBytes;
        var request = ArrayPool<byte>.Shared.Rent(inline ? maxHead + body.Bytes.Length + poll.Length : maxHead);
        try
        {
            var head = _requests.WriteReplyHead(request, escapedId, outcome, body.ContentType, body.Stream is null ? body.Bytes.Length : null);
            if (inline)
            {
                body.Bytes.CopyTo(request.AsMemory(head));
                poll.CopyTo(request.AsMemory(head + body.Bytes.Length));
                await SendAsync(request.AsMemory(0, head + body.Bytes.Length + poll.Length), cancellationToken).ConfigureAwait(false);
                return;
            }

            await SendAsync(request.AsMemory(0, head), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(request);
        }

        if (body.Stream is { } stream)
        {
            await using (stream.ConfigureAwait(false))
            {
                await SendChunksAsync(stream, poll, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        await SendAsync(body.Bytes, cancellationToken).ConfigureAwait(false);
        await SendAsync(poll, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stream in chunks of what each read gave, then the last chunk with the next poll behind it.</summary>
    private async Task SendChunksAsync(Stream stream, ReadOnlyMemory<byte> poll, CancellationToken cancellationToken)
    {
        const int SizeLineBytes = 8;
        var chunk = ArrayPool<byte>.Shared.Rent(SizeLineBytes + ChunkBytes + 2);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk.AsMemory(SizeLineBytes, ChunkBytes), cancellationToken).ConfigureAwait(false)) > 0)
            {
                // The size line goes right before the data it announces: "{hex}\r\n", the data, then "\r\n".
                Utf8Formatter.TryFormat(read, chunk.AsSpan(0, SizeLineBytes - 2), out var digits, new StandardFormat('x'));
                var start = SizeLineBytes - 2 - digits;
                chunk.AsSpan(0, digits).CopyTo(chunk.AsSpan(start));
                "\r\n"u8.CopyTo(chunk.AsSpan(SizeLineBytes - 2));
                "\r\n"u8.CopyTo(chunk.AsSpan(SizeLineBytes + read));
                await SendAsync(chunk.AsMemory(start, SizeLineBytes - start + read + 2), cancellationToken).ConfigureAwait(false);
            }

            "0\r\n\r\n"u8.CopyTo(chunk);
            poll.CopyTo(chunk.AsMemory(5));
            await SendAsync(chunk.AsMemory(0, 5 + poll.Length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
