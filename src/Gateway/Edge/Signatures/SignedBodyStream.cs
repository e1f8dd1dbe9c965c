using System.Security.Cryptography;
using FcGateway.Buffers;

namespace FcGateway.Edge.Signatures;

/// <summary>
/// A request body whose SHA-256 a signature covers, read through: its end throws <see cref="SignedBodyMismatchException"/>
/// when what came does not hash to the signed value, so neither the event nor a web function's forwarded body is taken
/// as the signed one. Nothing is buffered.
/// </summary>
internal sealed class SignedBodyStream(Stream body, AcsSignatureV3.Signed signed) : ReadThroughStream(body)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _ended;

    /// <summary>Hashes what was read; at the end (nothing read into a buffer with room), compares.</summary>
    protected override int Observe(ReadOnlySpan<byte> buffer, int read)
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
