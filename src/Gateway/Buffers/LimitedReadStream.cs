namespace FcGateway.Buffers;

/// <summary>A read-only stream that throws the exception <paramref name="overLimit"/> makes once more than the limit is read.</summary>
/// <param name="inner">The stream read, disposed with this one.</param>
/// <param name="maxBytes">The limit.</param>
/// <param name="overLimit">Makes the exception from the limit.</param>
internal sealed class LimitedReadStream(Stream inner, long maxBytes, Func<long, Exception> overLimit) : ReadThroughStream(inner)
{
    private long _read;

    protected override int Observe(ReadOnlySpan<byte> buffer, int read)
    {
        _read += read;
        return _read > maxBytes ? throw overLimit(maxBytes) : read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
