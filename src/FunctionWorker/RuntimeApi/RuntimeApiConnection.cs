using System.Net.Sockets;
using Microsoft.AspNetCore.Http;

namespace FcWorker.RuntimeApi;

/// <summary>
/// One poll loop's HTTP/1.1 connection to the runtime API, made for the loop's one pattern — ask for the next call,
/// answer it, ask again — without HttpClient's request, header and response objects. A reply goes out with the next poll
/// behind it in the same send (HTTP/1.1 pipelining, RFC 9112 §9.3.2), so the runtime API reads both in one receive and
/// the poll waits there while the call's answer is read. Any failure closes the connection, which the next call opens
/// again, and is thrown as an <see cref="HttpRequestException"/>, as HttpClient reports it.
/// </summary>
internal sealed partial class RuntimeApiConnection(Uri invocationBase) : IRuntimeApiLine
{
    /// <summary>An answer's head larger than this is refused (HttpClient's default is 64 KiB too).</summary>
    internal const int MaxHeadBytes = 64 * 1024;

    /// <summary>How many times a poll is sent again after connections closed unanswered (HttpClient's MaxConnectionFailureRetries).</summary>
    private const int MaxPollRetries = 3;

    private readonly RuntimeApiRequests _requests = new(invocationBase);
    // Not pooled: the loop's connection keeps it for the worker's life, and a receive still in flight when the line is
    // disposed may write into it.
    private byte[] _buffer = new byte[8 * 1024];
    private int _start;
    private int _end;
    private Socket? _socket;
    private bool _pollSent;
    private bool _disposed;

    /// <summary>Asks for the next call (unless the last reply already did), and reads the answer's head.</summary>
    /// <remarks>
    /// Cancelled while the poll waits for its answer (the worker stops), the connection is kept with the poll outstanding,
    /// to be given up as one sent along with a reply is (<see cref="GiveUpPollAsync"/>): an answer the runtime API wrote
    /// just before is then read and run, not dropped with the connection while the runtime API counts it delivered.
    /// </remarks>
    public async Task<RuntimeApiAnswer> NextAsync(CancellationToken cancellationToken)
    {
        var waiting = false;
        try
        {
            await DrainBodyAsync(cancellationToken).ConfigureAwait(false);
            if (!_pollSent)
            {
                await SendPollAsync(cancellationToken).ConfigureAwait(false);
            }

            _pollSent = false;
            waiting = true;

            // A connection the runtime API closed before any byte of its answer did not take the poll (a keep-alive
            // timeout, a close after the post it came behind, a runtime API restarting): it is sent again on a new one, at
            // most three times, as HttpClient retries a request without a body that a connection ended so (not one reset).
            for (var retries = 0; _end == _start && !await ReceiveAsync(cancellationToken).ConfigureAwait(false) && retries < MaxPollRetries; retries++)
            {
                waiting = false;
                Close();
                await SendPollAsync(cancellationToken).ConfigureAwait(false);
                waiting = true;
            }

            var head = await ReadHeadAsync(collectHeaders: true, cancellationToken).ConfigureAwait(false);
            return new RuntimeApiAnswer(head.StatusCode, head.Headers!, head.ContentLength, StartBody(head));
        }
        catch (OperationCanceledException) when (waiting && cancellationToken.IsCancellationRequested)
        {
            _pollSent = true;
            throw;
        }
        catch (Exception exception)
        {
            Close();
            if (AsRequestFailure(exception) is { } failure)
            {
                throw failure;
            }

            throw;
        }
    }

    /// <summary>
    /// Posts a call's outcome to <c>{id}/{outcome}</c> with the next poll behind it when <paramref name="thenPoll"/>,
    /// and returns the status the runtime API answered the post with.
    /// </summary>
    public async Task<int> PostAsync(string requestId, string outcome, ReplyBody body, bool thenPoll, CancellationToken cancellationToken)
    {
        try
        {
            await DrainBodyAsync(cancellationToken).ConfigureAwait(false);
            await ConnectIfClosedAsync(cancellationToken).ConfigureAwait(false);
            await SendReplyAsync(requestId, outcome, body, thenPoll, cancellationToken).ConfigureAwait(false);
            var head = await ReadHeadAsync(collectHeaders: false, cancellationToken).ConfigureAwait(false);
            await DrainAsync(StartBody(head), cancellationToken).ConfigureAwait(false);

            // A runtime API that closes after its answer has not read the poll sent behind the post: it is sent again.
            _pollSent = thenPoll && _socket is not null;
            return head.StatusCode;
        }
        catch (Exception exception)
        {
            Close();

            // A stream the failure left unsent (or half sent) is the post's to dispose all the same, as HttpClient's content does.
            if (body.Stream is { } stream)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            if (AsRequestFailure(exception) is { } failure)
            {
                throw failure;
            }

            throw;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Close();
    }

    private async Task SendPollAsync(CancellationToken cancellationToken)
    {
        await ConnectIfClosedAsync(cancellationToken).ConfigureAwait(false);
        await SendAsync(_requests.Next, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps the connection if it can carry a request, or opens another.</summary>
    private async Task ConnectIfClosedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_socket is not null)
        {
            // A kept connection has nothing to read while it waits for the loop's next request: readable, the runtime
            // API closed it meanwhile (a keep-alive timeout while a long call ran) or sent what no request asked for.
            // Either way it is not reused, as HttpClient does not reuse a pooled connection it finds closed.
            if (_end == _start && !_socket.Poll(0, SelectMode.SelectRead))
            {
                return;
            }

            Close();
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(invocationBase.IdnHost, invocationBase.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException refused)
        {
            socket.Dispose();

            // HttpClient's one connection error: the connect failed (ConnectHelper); a socket's failure once connected it
            // reads as an IOException, an unknown error (AsRequestFailure).
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"{refused.Message} ({invocationBase.Authority})", refused);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
        _start = _end = 0;
    }

    private async Task SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket!.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Receives into the buffer behind what it holds; false when the runtime API closed the connection.</summary>
    private async ValueTask<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (_start > 0 && _start == _end)
        {
            _start = _end = 0;
        }

        if (_end == _buffer.Length)
        {
            GrowBuffer();
        }

        ThrowIfOnlyBufferedWanted();
        var received = await _socket!.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        _end += received;
        return received > 0;
    }

    /// <summary>Makes room behind the bytes held: moved to the front, or into a buffer twice as large.</summary>
    private void GrowBuffer()
    {
        var held = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, held);
        }
        else
        {
            var larger = new byte[_buffer.Length * 2];
            Buffer.BlockCopy(_buffer, 0, larger, 0, held);
            _buffer = larger;
        }

        _start = 0;
        _end = held;
    }

    private async Task<AnswerHead> ReadHeadAsync(bool collectHeaders, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (AnswerHead.TryParse(_buffer.AsSpan(_start, _end - _start), collectHeaders, out var head, out var length))
            {
                _start += length;
                if (!head.IsInterim)
                {
                    return head;
                }

                continue;
            }

            if (_end - _start >= MaxHeadBytes)
            {
                throw new HttpRequestException(HttpRequestError.InvalidResponse, $"The runtime API's answer head is larger than {MaxHeadBytes / 1024} KiB.");
            }

            if (!await ReceiveAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new HttpRequestException(HttpRequestError.ResponseEnded, "The runtime API closed the connection before it answered.");
            }
        }
    }

    private void Close()
    {
        _socket?.Dispose();
        _socket = null;
        _pollSent = false;
        _body = null;
    }

    /// <summary>
    /// A failure as HttpClient reports it; null for what is thrown as it is (cancellation, our own failures, a failed
    /// connect). A connected socket's failure, a reset before any byte of the answer included, HttpClient reads as an
    /// <see cref="IOException"/> from its stream and reports as <see cref="HttpRequestError.Unknown"/> (its
    /// <c>HttpConnection.MapSendException</c>), not as a <see cref="HttpRequestError.ConnectionError"/>.
    /// </summary>
    private HttpRequestException? AsRequestFailure(Exception exception) => exception switch
    {
        HttpRequestException or OperationCanceledException => null,
        ObjectDisposedException when _disposed => null,
        SocketException socket => new HttpRequestException(HttpRequestError.Unknown, $"{socket.Message} ({invocationBase.Authority})", socket),
        _ => new HttpRequestException(HttpRequestError.Unknown, exception.Message, exception),
    };
}
