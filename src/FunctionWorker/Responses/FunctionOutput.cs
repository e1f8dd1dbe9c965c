using System.Buffers;

namespace FcWorker.Responses;

/// <summary>
/// The body of a successful call, whichever transport carries it: bytes of a known length, or a stream that
/// only has a length when it can seek; and its content type, none for an empty body. Bytes in an array rented from the
/// shared pool go back to it when the output is disposed, once the reply has been sent.
/// </summary>
internal sealed class FunctionOutput : IDisposable
{
    private byte[]? _rented;

    private FunctionOutput(string? contentType, ReadOnlyMemory<byte> bytes, Stream? stream, byte[]? rented = null)
    {
        ContentType = contentType;
        Bytes = bytes;
        Stream = stream;
        _rented = rented;
    }

    /// <summary>No body: a handler without output, or a lifecycle call.</summary>
    public static FunctionOutput Empty { get; } = new(null, ReadOnlyMemory<byte>.Empty, null);

    public string? ContentType { get; }

    /// <summary>The body when <see cref="Stream"/> is null.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The body when the handler returned a stream; whoever sends it disposes it.</summary>
    public Stream? Stream { get; }

    public static FunctionOutput FromBytes(ReadOnlyMemory<byte> bytes, string contentType) => new(contentType, bytes, null);

    /// <summary>The first <paramref name="length"/> bytes of an array rented from <see cref="ArrayPool{T}.Shared"/>.</summary>
    public static FunctionOutput FromRented(byte[] rented, int length, string contentType) =>
        new(contentType, rented.AsMemory(0, length), null, rented);

    public static FunctionOutput FromStream(Stream stream, string contentType) => new(contentType, ReadOnlyMemory<byte>.Empty, stream);

    /// <summary>True when the bytes are in a rented array that <see cref="Dispose"/> would return.</summary>
    public bool IsRented => _rented is not null;

    /// <summary>
    /// Leaves the bytes' array to the garbage collector rather than the pool: a transport may still read them after the
    /// reply that sent them returned (an HTTP/2 request body, when the answer came before all of it was sent).
    /// </summary>
    public void LeaveToCollector() => _rented = null;

    public void Dispose()
    {
        if (_rented is { } rented)
        {
            _rented = null;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
