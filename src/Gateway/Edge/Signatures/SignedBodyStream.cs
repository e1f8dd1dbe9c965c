using System.Security.Cryptography;

namespace FcGateway.Edge.Signatures;

/// <summary>
/// A request body whose SHA-256 a signature covers, read through: its end throws <see cref="SignedBodyMismatchException"/>
/// when what came does not hash to the signed value, so neither the event nor a web function's forwarded body is taken
/// as the signed one. Nothing is buffered.
/// </summary>
internal sealed class SignedBodyStream(Stream body, AcsSignatureV3.Signed signed) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _ended;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer) => Observe(buffer, body.Read(buffer));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await body.ReadAsync(buffer, cancellationToken);
        return Observe(buffer.Span, read);
    }

    /// <summary>Hashes what was read; at the end (nothing read into a buffer with room), compares.</summary>
    private int Observe(ReadOnlySpan<byte> buffer, int read)
    {
        if (read > 0)
        {
            _hash.AppendData(buffer[..read]);
        }
        else if (!buffer.IsEmpty && !_ended)
        {
            _ended = true;
            if (!signed.CoversHash(_hash.GetHashAndReset()))
            {
                throw new SignedBodyMismatchException();
            }
        }

        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A signed request's body that is not the one its signature covers (403 SignatureNotMatch).</summary>
internal sealed class SignedBodyMismatchException() : Exception(AcsSignatureV3.BodyMismatch);
