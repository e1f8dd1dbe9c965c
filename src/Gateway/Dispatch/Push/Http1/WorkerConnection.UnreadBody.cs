using System.Buffers;
using System.Net.Sockets;

namespace FcGateway.Dispatch.Push.Http1;

/// <summary>
/// A 429's body still on its way when its head was read. The invocation is answered at once; the connection goes back
/// to its pool with the body's framing, and carries another call only if the rest has come by the time it is taken —
/// whole, up to <see cref="MaxDrainBytes"/>, and nothing after it, not even the worker's end — passed over then without
/// waiting. Otherwise it is closed and the call takes another, as HttpClient's next call opens a connection of its own
/// while the disposed reply drains in the background: no call ever waits for an earlier reply's body, nor reads any of
/// it as its own.
/// </summary>
internal sealed partial class WorkerConnection
{
    /// <summary>The most of a 429's body passed over to keep its connection, as SocketsHttpHandler's default <c>MaxResponseDrainSize</c>.</summary>
    public const int MaxDrainBytes = 1024 * 1024;

    private ReplyFraming _unreadFraming;
    private long _unreadLength;
    private int _unreadTrailerBytes;

    /// <summary>Whether the rest of a 429's body is to be passed over before the connection carries another call.</summary>
    public bool HasUnreadBody => _unreadFraming != ReplyFraming.None;

    /// <summary>Passes over the rest of the 429's body from what has come since its head, waiting for nothing.</summary>
    /// <returns>
    /// False when not all of it has come, or it is malformed, over <see cref="MaxDrainBytes"/>, or followed by more bytes
    /// or the connection's end: the connection is not to be used again.
    /// </returns>
    public bool PassedOverArrivedBody()
    {
        var framing = _unreadFraming;
        _unreadFraming = ReplyFraming.None;
        try
        {
            var buffered = _end - _start;
            var length = buffered + (long)_socket.Available;
            if (length is 0 or > MaxDrainBytes)
            {
                return false;
            }

            var body = ArrayPool<byte>.Shared.Rent((int)length);
            try
            {
                _buffer.AsSpan(_start, buffered).CopyTo(body);
                _start = _end;
                for (var received = buffered; received < length;)
                {
                    received += Received(_socket.Receive(body.AsSpan(received, (int)length - received)));
                }

                var arrived = body.AsSpan(0, (int)length);
                var whole = framing == ReplyFraming.ContentLength
                    ? arrived.Length == _unreadLength
                    : ChunkedFraming.IsWholeBody(arrived, _unreadTrailerBytes);
                return whole && !_socket.Poll(0, SelectMode.SelectRead);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(body);
            }
        }
        catch (Exception ex) when (ex is HttpIOException or SocketException)
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
}
