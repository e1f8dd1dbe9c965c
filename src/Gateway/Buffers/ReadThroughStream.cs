namespace FcGateway.Buffers;

/// <summary>
/// A read-only, forward-only stream over <paramref name="inner"/> that looks at what each read returned
/// (<see cref="Observe"/>): the base of the streams that bound or check a body as it is read. It does not own
/// <paramref name="inner"/>.
/// </summary>
internal abstract class ReadThroughStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The stream read.</summary>
    protected Stream Inner => inner;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Observe(buffer, inner.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Observe(buffer.Span, read);
    }

    /// <summary>Looks at one read: <paramref name="read"/> bytes came into <paramref name="buffer"/> (none into a buffer with room: the end).</summary>
    /// <returns><paramref name="read"/>, unless it throws.</returns>
    protected abstract int Observe(ReadOnlySpan<byte> buffer, int read);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
