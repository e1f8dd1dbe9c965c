using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using FcGateway.Buffers;

namespace FcGateway.Dispatch.Push.Http1;

/// <summary>
/// One HTTP/1.1 connection to a worker, carrying one <c>POST /invoke</c> at a time: the request goes out in one send,
/// the reply's head is read into the connection's own buffer and its body straight into the invocation's output. Every
/// failure below HTTP is thrown as HttpClient throws it (<see cref="HttpRequestException"/> with its
/// <see cref="HttpRequestError"/>, or <see cref="HttpIOException"/>), so the invocation is judged the same whichever
/// client carried it (<see cref="WorkerConnectionFailure"/>).
/// </summary>
internal sealed partial class WorkerConnection : IDisposable
{
    /// <summary>The longest reply head read, as SocketsHttpHandler's default <c>MaxResponseHeadersLength</c>.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    /// <summary>
    /// How long a connection is idle before its reuse asks the kernel whether it is still open: shorter than any keep-alive
    /// timeout a worker's server has (2 s and up), long enough that a connection reused under load never pays for it.
    /// </summary>
    public static readonly TimeSpan AskTheKernelAfter = TimeSpan.FromSeconds(1);

    private const int InitialBufferBytes = 4096;

    private readonly Socket _socket;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    private int _start;
    private int _end;
    private ValueTask<int> _idleReceive;
    private bool _idleReceivePending;

    private WorkerConnection(Socket socket)
    {
        _socket = socket;
    }

    /// <summary>When the connection was last given back to its pool.</summary>
    public long IdleSince { get; set; }

    /// <summary>Whether the last reply left the connection fit for another call.</summary>
    public bool IsReusable { get; private set; }

    /// <param name="endpoint">The worker's address.</param>
    /// <param name="authority">The address as the worker's URL names it, for the error's account.</param>
    /// <param name="cancellationToken">Ends the attempt: the invocation's deadline, or the connect timeout.</param>
    public static async ValueTask<WorkerConnection> ConnectAsync(EndPoint endpoint, string authority, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new WorkerConnection(socket);
        }
        catch (SocketException ex)
        {
            socket.Dispose();

            // As HttpClient names it: a host name that does not resolve is no connection refused (the span's error.type).
            var error = ex.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain
                ? HttpRequestError.NameResolutionError
                : HttpRequestError.ConnectionError;
            throw new HttpRequestException(error, $"{ex.Message} ({authority})", ex);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts the receive that waits, while the connection sits idle, for what comes next on it: the reply to its next
    /// call, or — from a worker that closed it meanwhile (its own keep-alive timeout, a crash) — its end. The receive a
    /// call would start after sending is started here instead, so checking the connection before reuse costs no system
    /// call (<see cref="LooksOpen"/>), as HttpClient's read-ahead on a pooled connection.
    /// </summary>
    /// <returns>False when something came already: the connection is not to be used again.</returns>
    [SuppressMessage("Reliability", "CA2012", Justification = "Consumed once: awaited by the next call's ReadReplyAsync, or dropped with the socket.")]
    public bool ListenWhileIdle()
    {
        _idleReceive = _socket.ReceiveAsync(RoomToFill(), SocketFlags.None, CancellationToken.None);
        _idleReceivePending = true;
        return !_idleReceive.IsCompleted;
    }

    /// <summary>
    /// Whether the idle connection still looks open: nothing has come on it, not even its end. A worker that closed it
    /// while it sat in the pool has sent its FIN by then, and a call on it would fail without having reached the worker.
    /// The receive started while it was idle shows what the socket engine has seen, at no cost; a connection idle for
    /// <see cref="AskTheKernelAfter"/> or longer — where a worker's keep-alive timeout falls — is also checked with the
    /// kernel itself (a poll, one system call), for a FIN the engine has not handled yet.
    /// </summary>
    /// <param name="idle">How long the connection has been idle.</param>
    public bool LooksOpen(TimeSpan idle)
    {
        if (_idleReceivePending && _idleReceive.IsCompleted)
        {
            return false;
        }

        try
        {
            return idle < AskTheKernelAfter || !_socket.Poll(0, SelectMode.SelectRead);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> request, CancellationToken cancellationToken)
    {
        IsReusable = false;
        try
        {
            while (!request.IsEmpty)
            {
                var sent = await _socket.SendAsync(request, SocketFlags.None, cancellationToken);
                request = request[sent..];
            }
        }
        catch (SocketException ex)
        {
            throw Lost(ex);
        }
    }

    /// <summary>
    /// Reads the reply to the request sent: interim (1xx) heads are passed over; the body is read only when the head
    /// lets the invocation use it (not for a 429, nor with an unusable Content-Length or a content coding), and a 429's is
    /// passed over when it came with the head, else kept to be passed over before the next call (<see cref="HasUnreadBody"/>).
    /// </summary>
    /// <param name="output">Receives the body.</param>
    /// <param name="maxBytes">The most the body may hold.</param>
    /// <param name="cancellationToken">The invocation's deadline.</param>
    public async ValueTask<WorkerReplyRead> ReadReplyAsync(PooledBuffer output, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            // The head is read here rather than in a method of its own: each async method that waits for the worker
            // allocates its state when it does, and the reply is waited for on every call. Interim heads count towards
            // the head limit, as HttpClient's: a worker cannot send them without end.
            ReplyHead head;
            var headBytes = 0;
            var read = 0;
            while (true)
            {
                if (ReplyHead.TryParse(_buffer.AsSpan(_start, _end - _start), out head, out var length))
                {
                    _start += length;
                    headBytes += length;
                    if (headBytes > MaxHeadBytes)
                    {
                        throw HeadTooLong();
                    }

                    if (head.IsInterim)
                    {
                        continue;
                    }

                    break;
                }

                if (headBytes + _end - _start >= MaxHeadBytes && !WaitsAtTheHeadLimit(headBytes, read))
                {
                    throw HeadTooLong();
                }

                if (_idleReceivePending)
                {
                    // Started with no token while the connection was idle: the deadline ends it by closing the socket.
                    _idleReceivePending = false;
                    using (cancellationToken.UnsafeRegister(static socket => ((Socket)socket!).Dispose(), _socket))
                    {
                        try
                        {
                            read = await _idleReceive;
                        }
                        catch (Exception ex) when (ex is SocketException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
                        {
                            throw new OperationCanceledException(cancellationToken);
                        }
                    }

                    // The deadline may have closed the socket as the receive completed: as HttpClient, the call is
                    // cancelled then, rather than read on (or given back to the pool) over a closed socket.
                    cancellationToken.ThrowIfCancellationRequested();
                }
                else
                {
                    var room = RoomToFill();
                    read = await _socket.ReceiveAsync(room, SocketFlags.None, cancellationToken);
                }

                _end += Received(read);
            }

            if (head.Judged.StatusCode == 429)
            {
                // The invocation is sent again at once, without waiting for the body, as over HttpClient; the connection is
                // kept, as HttpClient's disposed reply drains the body and keeps it: at once when the body came whole with
                // the head, else with the rest still to pass over.
                IsReusable = head.KeepsConnection && (SkippedBufferedBody(head, headBytes) || KeepsUnreadBody(head, headBytes));
                return new(head.Judged, null, BodyFits: true);
            }

            if (head.UnreadableBody is not null)
            {
                // The body is not the output (its length unknown, or encoded): it is left unread, and the connection
                // carries no more calls.
                return new(head.Judged, head.UnreadableBody, BodyFits: true);
            }

            var fits = head.Framing switch
            {
                ReplyFraming.ContentLength => await ReadLengthAsync(output, head.ContentLength, maxBytes, cancellationToken),
                ReplyFraming.Chunked => await ReadChunkedAsync(output, maxBytes, headBytes, cancellationToken),
                ReplyFraming.UntilClose => await ReadUntilCloseAsync(output, maxBytes, cancellationToken),
                _ => true,
            };

            // Bytes past the reply are nothing the gateway asked for: the connection carries no more calls.
            IsReusable = fits && head.KeepsConnection && _start == _end;
            return new(head.Judged, null, fits);
        }
        catch (SocketException ex)
        {
            throw Lost(ex);
        }
    }

    public void Dispose()
    {
        // A receive still waiting on an idle connection may be writing into the buffer as the socket closes under it:
        // such a buffer is left to the collector rather than given back to the pool for another connection.
        var listening = _idleReceivePending && !_idleReceive.IsCompleted;
        _socket.Dispose();
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0 && !listening)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Whether a head that has not ended is read on — one more byte is over the limit, the connection's end is a reply
    /// ended early — as HttpClient reads it on: only when it is at the limit exactly, and the last receive completed a
    /// line (a line end and a byte after it) rather than only lengthening a line without end. HttpClient refuses a head
    /// over its limit, and at the limit a line it has read on its own till then or a status line that has not begun
    /// (interim heads took the whole limit); the rare path only.
    /// </summary>
    /// <param name="headBytes">The interim heads' bytes before this head.</param>
    /// <param name="lastRead">The bytes the last receive brought.</param>
    private bool WaitsAtTheHeadLimit(int headBytes, int lastRead)
    {
        var unparsed = _buffer.AsSpan(_start, _end - _start);
        if (headBytes + unparsed.Length != MaxHeadBytes || unparsed.IsEmpty)
        {
            return false;
        }

        var lastLineEnd = unparsed[..^1].LastIndexOf((byte)'\n');
        return lastLineEnd >= 0 && unparsed.Length - lastLineEnd - 1 < lastRead;
    }

    /// <summary>
    /// Passes over a body, of known length or chunked, that is all in the buffer already with nothing after it; false
    /// otherwise (malformed, followed by more, or more to come), and nothing is waited for.
    /// </summary>
    /// <param name="head">The reply's head.</param>
    /// <param name="headBytes">The reply's heads' bytes: a chunked body's trailers may have what they left of the limit.</param>
    private bool SkippedBufferedBody(in ReplyHead head, int headBytes)
    {
        var buffered = _buffer.AsSpan(_start, _end - _start);
        var whole = head.Framing switch
        {
            ReplyFraming.ContentLength => head.ContentLength == buffered.Length,
            ReplyFraming.Chunked => ChunkedFraming.IsWholeBody(buffered, MaxHeadBytes - headBytes),
            _ => false,
        };
        if (!whole)
        {
            return false;
        }

        _start = _end;
        return true;
    }

    /// <summary>Moves up to <paramref name="most"/> buffered bytes (those that came with the head) to the output.</summary>
    private int TakeBuffered(PooledBuffer output, long most)
    {
        var count = (int)Math.Min(_end - _start, most);
        output.Write(_buffer.AsSpan(_start, count));
        _start += count;
        return count;
    }

    /// <summary>
    /// Room to receive more into the connection's buffer, made at its end (and, for a long head, by growing it: to one byte
    /// past the head limit, for the byte that decides a head read on at the limit, <see cref="WaitsAtTheHeadLimit"/>). It moves
    /// <c>_end</c>: call it before the statement that adds the count received to it.
    /// </summary>
    private Memory<byte> RoomToFill()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer.Length)
        {
            var unread = _end - _start;
            var target = unread * 2 > _buffer.Length ? ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, MaxHeadBytes + 1)) : _buffer;
            _buffer.AsSpan(_start, unread).CopyTo(target);
            if (target != _buffer)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = target;
            }

            _start = 0;
            _end = unread;
        }

        return _buffer.AsMemory(_end);
    }

    /// <summary>Receives into the output's room; the reply must not end before it.</summary>
    private async ValueTask<int> ReceiveIntoAsync(PooledBuffer output, Memory<byte> room, CancellationToken cancellationToken)
    {
        var read = Received(await _socket.ReceiveAsync(room, SocketFlags.None, cancellationToken));
        output.Advance(read);
        return read;
    }

    /// <summary>A receive's count, which the reply being read must not end at.</summary>
    private static int Received(int read) =>
        read > 0 ? read : throw new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely.");

    private static HttpIOException Lost(SocketException ex) => new(HttpRequestError.Unknown, ex.Message, ex);

    /// <summary>A head, or a head and its trailers, over the limit: in HttpClient's words, which the log gives whichever client read the reply.</summary>
    private static HttpRequestException HeadTooLong() =>
        new(HttpRequestError.ConfigurationLimitExceeded, $"The HTTP response headers length exceeded the set limit of {MaxHeadBytes} bytes.");
}
