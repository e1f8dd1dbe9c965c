using System.Buffers;
using System.Buffers.Text;
using System.Net.Sockets;

namespace FcWorker.RuntimeApi;

/// <summary>
/// An answer's body, read from what the head's receive brought and then straight from the socket into the reader's
/// memory: by its Content-Length, in chunks, or until the runtime API closes. A body left unread (a handler that takes no
/// event) is passed over before the connection carries the next request as far as it has arrived; one that has not all
/// arrived closes the connection, and the next request opens another: a runtime API that stalls in the middle of a body
/// cannot hold up the reply, and an unread large event costs a connect rather than its reading (HttpClient drains such
/// a body within limits of size and time, then closes). A body whose reading failed fails every read after.
/// </summary>
internal sealed partial class RuntimeApiConnection
{
    /// <summary>A chunk-size line longer than this is refused (HttpClient's limit is 16 KiB).</summary>
    private const int MaxChunkLineBytes = 16 * 1024;

    private AnswerBody? _body;
    private long _remaining;
    private bool _chunked;
    private bool _untilClose;
    private bool _chunkEndPending;
    private bool _keepsConnection;
    private bool _onlyBuffered;

    private AnswerBody StartBody(AnswerHead head)
    {
        _chunked = head.Chunked && !head.IsBodiless;
        _untilClose = !_chunked && head.ContentLength is null && !head.IsBodiless;
        _keepsConnection = head.KeepsConnection && !_untilClose;
        _remaining = head.IsBodiless ? 0 : head.ContentLength ?? 0;
        _chunkEndPending = false;
        var body = _body = new AnswerBody(this);
        if (!_chunked && !_untilClose && _remaining == 0)
        {
            EndBody();
        }

        return body;
    }

    private async ValueTask<int> ReadBodyAsync(AnswerBody body, Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (body.Failure is { } failed)
        {
            throw failed;
        }

        if (!ReferenceEquals(body, _body) || destination.IsEmpty)
        {
            return 0;
        }

        try
        {
            if (_chunked && _remaining == 0 && !await StartChunkAsync(cancellationToken).ConfigureAwait(false))
            {
                EndBody();
                return 0;
            }

            var wanted = _untilClose ? destination.Length : (int)Math.Min(destination.Length, _remaining);
            int read;
            if (_end > _start)
            {
                read = Math.Min(wanted, _end - _start);
                _buffer.AsMemory(_start, read).CopyTo(destination);
                _start += read;
            }
            else
            {
                ThrowIfOnlyBufferedWanted();
                read = await _socket!.ReceiveAsync(destination[..wanted], SocketFlags.None, cancellationToken).ConfigureAwait(false);
                if (read == 0 && !_untilClose)
                {
                    throw new HttpRequestException(HttpRequestError.ResponseEnded, "The runtime API closed the connection before the answer's body ended.");
                }
            }

            if (_untilClose)
            {
                if (read == 0)
                {
                    EndBody();
                }

                return read;
            }

            _remaining -= read;
            if (_remaining == 0)
            {
                if (_chunked)
                {
                    _chunkEndPending = true;
                }
                else
                {
                    EndBody();
                }
            }

            return read;
        }
        catch (Exception exception)
        {
            Close();
            var failure = exception as HttpRequestException ?? AsRequestFailure(exception) ?? exception;
            body.Failure = failure;
            if (ReferenceEquals(failure, exception))
            {
                throw;
            }

            throw failure;
        }
    }

    /// <summary>Reads the next chunk's size line (after the last chunk's CRLF); false at the last chunk, its trailers read.</summary>
    private async ValueTask<bool> StartChunkAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var held = _buffer.AsSpan(_start, _end - _start);
            if (TryReadChunkStart(held, out var size, out var consumed))
            {
                _start += consumed;
                _chunkEndPending = false;
                if (size > 0)
                {
                    _remaining = size;
                    return true;
                }

                await SkipTrailersAsync(cancellationToken).ConfigureAwait(false);
                return false;
            }

            if (held.Length >= MaxChunkLineBytes)
            {
                throw new HttpRequestException(HttpRequestError.InvalidResponse, "The runtime API's chunk-size line is too long.");
            }

            if (!await ReceiveAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The runtime API closed the connection before the answer's body ended.");
            }
        }
    }

    private bool TryReadChunkStart(ReadOnlySpan<byte> held, out long size, out int consumed)
    {
        size = 0;
        consumed = 0;
        if (_chunkEndPending)
        {
            if (held.IsEmpty || held.SequenceEqual("\r"u8))
            {
                return false;
            }

            // CRLF, or a bare LF as HttpClient takes it (RFC 9112 §2.2 lets a recipient).
            consumed = held[0] == (byte)'\n' ? 1 : held.StartsWith("\r\n"u8) ? 2
                : throw new HttpRequestException(HttpRequestError.InvalidResponse, "The runtime API's chunk does not end with CRLF.");
            held = held[consumed..];
        }

        var lineEnd = held.IndexOf((byte)'\n');
        if (lineEnd < 0)
        {
            return false;
        }

        var line = held[..lineEnd].TrimEnd((byte)'\r');
        var extension = line.IndexOf((byte)';');
        var digits = (extension < 0 ? line : line[..extension]).TrimEnd(" \t"u8);

        // Unsigned, as HttpClient reads it: 16 digits from 8 up would be a negative long, taken for the last chunk.
        if (!Utf8Parser.TryParse(digits, out ulong declared, out var parsed, 'x') || parsed != digits.Length || digits.IsEmpty)
        {
            throw new HttpRequestException(HttpRequestError.InvalidResponse, "The runtime API's chunk size is not a hexadecimal number.");
        }

        size = (long)Math.Min(declared, long.MaxValue);
        consumed += lineEnd + 1;
        return true;
    }

    private async ValueTask SkipTrailersAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var held = _buffer.AsSpan(_start, _end - _start);
            var lineEnd = held.IndexOf((byte)'\n');
            if (lineEnd >= 0)
            {
                _start += lineEnd + 1;
                if (held[..lineEnd].TrimEnd((byte)'\r').IsEmpty)
                {
                    return;
                }

                continue;
            }

            if (held.Length >= MaxHeadBytes || !await ReceiveAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new HttpRequestException(HttpRequestError.InvalidResponse, "The runtime API's answer ended inside its trailers.");
            }
        }
    }

    private void EndBody()
    {
        _body = null;
        if (!_keepsConnection)
        {
            Close();
        }
    }

    /// <summary>
    /// Passes over what is left of the last answer's body, so that the connection can carry the next request: as far as
    /// it has arrived, else the connection is closed.
    /// </summary>
    private async ValueTask DrainBodyAsync(CancellationToken cancellationToken)
    {
        if (_body is { } body)
        {
            _onlyBuffered = true;
            try
            {
                await DrainAsync(body, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _onlyBuffered = false;
            }
        }
    }

    /// <summary>Stops a drain of an unread body where the next bytes would have to be received: the connection is closed.</summary>
    private void ThrowIfOnlyBufferedWanted()
    {
        if (_onlyBuffered)
        {
            throw new HttpRequestException(HttpRequestError.Unknown, "The unread body has not all arrived; its connection is not reused.");
        }
    }

    private async ValueTask DrainAsync(AnswerBody body, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(body, _body))
        {
            return;
        }

        if (_untilClose)
        {
            // Such a body leaves no connection to reuse: it is closed, not read until the runtime API closes it (which an
            // error answer may take its time over), as HttpClient closes the connection of a body disposed unread.
            Close();
            return;
        }

        var scratch = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await ReadBodyAsync(body, scratch, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (HttpRequestException)
        {
            // The read closed the connection, and the request waiting goes out on a new one: as with HttpClient, a body
            // nobody reads does not fail the next request (nor a post whose status has come).
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }
}
