using System.Buffers;
using System.IO.Pipelines;

namespace FcGateway.Edge.Requests;

/// <summary>
/// A connection's output as Kestrel writes it, passed through unchanged until <see cref="Replace"/> is called: from then
/// on what Kestrel writes is dropped, and the bytes given take its place at its next flush or at the end of the
/// connection. <see cref="KestrelRejections"/> uses it to answer a request head Kestrel refused with the gateway's own
/// error, on a connection that is about to close. Only an HTTP/1.x answer is replaced: if what Kestrel writes first does
/// not start with <c>HTTP/</c> — its GOAWAY (HTTP_1_1_REQUIRED) to an HTTP/2 preface on a cleartext HTTP/1.x
/// connection — that passes through, and the replacement is given up.
/// </summary>
internal sealed class ReplaceableOutput(PipeWriter inner) : PipeWriter
{
    private byte[]? _pending;
    private byte[]? _dropped;
    private volatile bool _replaced;
    private bool _answerSeen;

    /// <summary>Drops everything written from now on; <paramref name="response"/> is written instead, once.</summary>
    public void Replace(byte[] response)
    {
        _pending = response;
        _replaced = true;
    }

    public override void Advance(int bytes)
    {
        if (!_replaced)
        {
            inner.Advance(bytes);
            return;
        }

        if (!_answerSeen)
        {
            _answerSeen = true;
            var answer = _dropped.AsSpan(0, bytes);
            if (!answer.StartsWith("HTTP/"u8))
            {
                _replaced = false;
                _pending = null;
                inner.Write(answer);
            }
        }
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _replaced ? Dropped(sizeHint) : inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _replaced ? Dropped(sizeHint) : inner.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        WritePending();
        return inner.FlushAsync(cancellationToken);
    }

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        WritePending();
        inner.Complete(exception);
    }

    public override ValueTask CompleteAsync(Exception? exception = null)
    {
        WritePending();
        return inner.CompleteAsync(exception);
    }

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => _replaced ? 0 : inner.UnflushedBytes;

    private void WritePending()
    {
        if (_replaced && Interlocked.Exchange(ref _pending, null) is { } response)
        {
            inner.Write(response);
        }
    }

    private byte[] Dropped(int sizeHint)
    {
        var size = Math.Max(sizeHint, 4096);
        if (_dropped is null || _dropped.Length < size)
        {
            _dropped = new byte[size];
        }

        return _dropped;
    }
}
