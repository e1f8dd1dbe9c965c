using System.Net.Sockets;

namespace FcGateway.Dispatch.Push.Http1;

/// <summary>
/// A 429's body still on its way when its head was read. The invocation is answered at once; the connection goes back
/// to its pool with the body's framing, and the rest is passed over before the connection carries another call, as
/// HttpClient drains a disposed reply's body and keeps its connection — up to <see cref="MaxDrainBytes"/>, for up to
/// <see cref="DrainTimeout"/> (its pool's clock). A rest that is malformed, cut, longer than that, or followed by bytes
/// no call asked for or by the worker's end closes the connection instead: nothing of it is ever read as the next call's
/// reply.
/// </summary>
internal sealed partial class WorkerConnection
{
    /// <summary>The most of a 429's body passed over to keep its connection, as SocketsHttpHandler's default <c>MaxResponseDrainSize</c>.</summary>
    public const int MaxDrainBytes = 1024 * 1024;

    /// <summary>How long after a 429's head its body may take to come, as SocketsHttpHandler's default <c>ResponseDrainTimeout</c>.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private ReplyFraming _unreadFraming;
    private long _unreadLength;
    private int _unreadTrailerBytes;

    /// <summary>Whether the rest of a 429's body is to be passed over before the connection carries another call.</summary>
    public bool HasUnreadBody => _unreadFraming != ReplyFraming.None;

    /// <summary>Reads the rest of the 429's body and drops it.</summary>
    /// <param name="cancellationToken">Ends the wait for the rest: the drain's time, or the next call's deadline.</param>
    /// <returns>
    /// False when the rest is malformed, cut, over <see cref="MaxDrainBytes"/>, or followed by more bytes or the
    /// connection's end: the connection is not to be used again.
    /// </returns>
    public async ValueTask<bool> PassOverUnreadBodyAsync(CancellationToken cancellationToken)
    {
        var framing = _unreadFraming;
        _unreadFraming = ReplyFraming.None;
        try
        {
            if (framing == ReplyFraming.ContentLength)
            {
                await SkipAsync(_unreadLength, cancellationToken);
            }
            else if (!await SkipChunksAsync(cancellationToken))
            {
                return false;
            }

            // Nothing may follow the body, not even the worker's end: the connection carries a call at once, unchecked.
            return _start == _end && !_socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception ex) when (ex is HttpRequestException or HttpIOException or SocketException)
        {
            return false;
        }
    }

    /// <summary>Keeps the framing of a 429's body not all come with its head, to pass over the rest later; false when it is not to be waited for.</summary>
    /// <param name="head">The reply's head.</param>
    /// <param name="headBytes">The reply's heads' bytes: a chunked body's trailers may have what they left of the limit.</param>
    private bool KeepsUnreadBody(in ReplyHead head, int headBytes)
    {
        var drainable = head.Framing switch
        {
            ReplyFraming.ContentLength => head.ContentLength > _end - _start && head.ContentLength <= MaxDrainBytes,
            ReplyFraming.Chunked => true,
            _ => false,
        };
        if (drainable)
        {
            _unreadFraming = head.Framing;
            _unreadLength = head.ContentLength;
            _unreadTrailerBytes = MaxHeadBytes - headBytes;
        }

        return drainable;
    }

    /// <summary>Passes over chunks as <see cref="ReadChunkedAsync"/> reads them, their framing counted towards <see cref="MaxDrainBytes"/> with their data.</summary>
    private async ValueTask<bool> SkipChunksAsync(CancellationToken cancellationToken)
    {
        long left = MaxDrainBytes;
        while (true)
        {
            var (line, lineBytes) = await ReadLineAsync(allowedTrailerBytes: null, cancellationToken);
            left -= lineBytes;
            if (!ChunkedFraming.TryParseSize(line.Span, out var size) || left < 0 || size > (ulong)left)
            {
                return false;
            }

            if (size == 0)
            {
                await SkipTrailersAsync(_unreadTrailerBytes, cancellationToken);
                return true;
            }

            left -= (long)size;
            await SkipAsync((long)size, cancellationToken);
            var (end, endBytes) = await ReadLineAsync(allowedTrailerBytes: null, cancellationToken);
            left -= endBytes;
            if (!end.IsEmpty)
            {
                return false;
            }
        }
    }

    /// <summary>Drops <paramref name="count"/> bytes of the reply, those buffered first; the reply must not end before them.</summary>
    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var buffered = (int)Math.Min(_end - _start, count);
            _start += buffered;
            count -= buffered;
            if (count == 0)
            {
                return;
            }

            var room = RoomToFill();
            _end += Received(await _socket.ReceiveAsync(room, SocketFlags.None, cancellationToken));
        }
    }
}
