using System.Security.Cryptography;
using FcGateway.Buffers;

namespace FcGateway.Edge.Signatures;

/// <summary>
/// A request body whose SHA-256 a signature covers, read through: its end throws <see cref="SignedBodyMismatchException"/>
/// when what came does not hash to the signed value, so neither the event nor a web function's forwarded body is taken
/// as the signed one. Nothing is buffered. A body of declared length ends with its last bytes, which are judged before
/// they are handed on: a web function's worker frames the body by that length, so it would hold the whole body before
/// the end of the stream was read.
/// </summary>
internal sealed class SignedBodyStream(Stream body, AcsSignatureV3.Signed signed, long? declaredLength) : ReadThroughStream(body)
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long? _unread = declaredLength;
    private bool _ended;

    /// <summary>Hashes what was read; at the end (the declared length read, or nothing read into a buffer with room), compares.</summary>
    protected override int Observe(ReadOnlySpan<byte> buffer, int read)
    {
        if (read > 0)
        {
            _hash.AppendData(buffer[..read]);
            _unread -= read;
        }

        if ((_unread == 0 || (read == 0 && !buffer.IsEmpty)) && !_ended)
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
