using System.Net.Sockets;
using FcGateway.Buffers;

namespace FcGateway.Dispatch.Push.Http1;

/// <summary>A reply's body, read by its framing into the invocation's output: by its length, in chunks, or to the connection's end.</summary>
internal sealed partial class WorkerConnection
{
    /// <summary>
    /// The longest line of a chunked body's framing (a chunk's size with its extensions, the end of a chunk's data), its
    /// line end included, as SocketsHttpHandler's <c>MaxChunkBytesAllowed</c>.
    /// </summary>
    public const int MaxChunkLineBytes = 16 * 1024;

    /// <summary>SocketsHttpHandler's words for a chunk line over its limit, thrown as it throws them (no <see cref="HttpRequestError"/>).</summary>
    private const string ChunkTooLarge = "The HTTP/1.1 response chunk was too large.";

    private async ValueTask<bool> ReadLengthAsync(PooledBuffer output, long length, long maxBytes, CancellationToken cancellationToken)
    {
        if (length > maxBytes)
        {
            return false;
        }

        // A reply longer than it says is read no further: the rest, buffered or on the way, keeps the connection from
        // being used again (IsReusable, LooksOpen).
        var remaining = length - TakeBuffered(output, length);
        while (remaining > 0)
        {
            var room = output.GetMemory(WorkerReply.RoomFor(length, output.WrittenCount));
            remaining -= await ReceiveIntoAsync(output, room[..(int)Math.Min(room.Length, remaining)], cancellationToken);
        }

        return true;
    }

    private async ValueTask<bool> ReadUntilCloseAsync(PooledBuffer output, long maxBytes, CancellationToken cancellationToken)
    {
        TakeBuffered(output, long.MaxValue);
        while (output.WrittenCount <= maxBytes)
        {
            var read = await _socket.ReceiveAsync(output.GetMemory(WorkerReply.ReadChunkBytes), SocketFlags.None, cancellationToken);
            if (read == 0)
            {
                return true;
            }

            output.Advance(read);
        }

        return false;
    }

    /// <summary>RFC 9112 §7.1: size lines in hex (extensions ignored), each chunk's data and its line end, trailers after the last.</summary>
    /// <param name="output">Receives the chunks' data.</param>
    /// <param name="maxBytes">The most the body may hold.</param>
    /// <param name="headBytes">The reply's heads' bytes, interim ones included: the trailers may have what they left of the limit.</param>
    /// <param name="cancellationToken">The invocation's deadline.</param>
    private async ValueTask<bool> ReadChunkedAsync(PooledBuffer output, long maxBytes, int headBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var (line, _) = await ReadLineAsync(allowedTrailerBytes: null, cancellationToken);
            if (!ChunkedFraming.TryParseSize(line.Span, out var size))
            {
                throw ReplyHead.Invalid("a chunk's size is not a hex number");
            }

            if (size == 0)
            {
                await SkipTrailersAsync(MaxHeadBytes - headBytes, cancellationToken);
                return true;
            }

            // What was read so far fits (each chunk before was checked): the room left cannot be negative, nor the sum overflow.
            if (size > (ulong)(maxBytes - output.WrittenCount))
            {
                return false;
            }

            var remaining = (long)size - TakeBuffered(output, (long)size);
            while (remaining > 0)
            {
                var room = output.GetMemory((int)Math.Min(remaining, WorkerReply.ReadChunkBytes));
                remaining -= await ReceiveIntoAsync(output, room[..(int)Math.Min(room.Length, remaining)], cancellationToken);
            }

            if (!(await ReadLineAsync(allowedTrailerBytes: null, cancellationToken)).Line.IsEmpty)
            {
                throw ReplyHead.Invalid("a chunk's data does not end where its size says");
            }
        }
    }

    /// <summary>
    /// Passes over the trailers as HttpClient reads them: fields, as the head's, counted with their line ends and the blank
    /// line after them against what the heads left of <see cref="MaxHeadBytes"/>. A fold continues the trailer before it;
    /// the first trailer line starting with white space continues nothing, and HttpClient refuses it (a name starting with
    /// a space), as a head's first field line.
    /// </summary>
    private async ValueTask SkipTrailersAsync(int allowedBytes, CancellationToken cancellationToken)
    {
        var first = true;
        while (true)
        {
            var (line, bytes) = await ReadLineAsync(allowedBytes, cancellationToken);
            if (line.IsEmpty)
            {
                return;
            }

            if (ReplyHead.CheckFieldLine(line.Span) < 0 && first)
            {
                throw ReplyHead.Invalid("a header line is not a field");
            }

            first = false;
            allowedBytes -= bytes;
        }
    }

    /// <summary>
    /// The next line in the buffer, without its line end, and its length with it; the line is valid until the next read.
    /// A line longer with its line end than HttpClient reads is refused as HttpClient refuses it.
    /// </summary>
    /// <param name="allowedTrailerBytes">
    /// For a trailer, what is left of the head's limit; null for a chunk's framing, read up to <see cref="MaxChunkLineBytes"/>.
    /// </param>
    /// <param name="cancellationToken">The invocation's deadline.</param>
    private async ValueTask<(ReadOnlyMemory<byte> Line, int Bytes)> ReadLineAsync(int? allowedTrailerBytes, CancellationToken cancellationToken)
    {
        var maxBytes = allowedTrailerBytes ?? MaxChunkLineBytes;
        while (true)
        {
            var end = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (end >= maxBytes || (end < 0 && _end - _start >= maxBytes))
            {
                throw allowedTrailerBytes is null ? new HttpRequestException(ChunkTooLarge) : HeadTooLong();
            }

            if (end >= 0)
            {
                var line = _buffer.AsMemory(_start, end);
                _start += end + 1;
                return (line.Span.EndsWith((byte)'\r') ? line[..^1] : line, end + 1);
            }

            var room = RoomToFill();
            _end += Received(await _socket.ReceiveAsync(room, SocketFlags.None, cancellationToken));
        }
    }
}
