namespace FcWorker.Responses;

/// <summary>
/// The body of a successful call, whichever transport carries it: bytes of a known length, or a stream that
/// only has a length when it can seek; and its content type, none for an empty body.
/// </summary>
internal sealed class FunctionOutput
{
    private FunctionOutput(string? contentType, ReadOnlyMemory<byte> bytes, Stream? stream)
    {
        ContentType = contentType;
        Bytes = bytes;
        Stream = stream;
    }

    /// <summary>No body: a handler without output, or a lifecycle call.</summary>
    public static FunctionOutput Empty { get; } = new(null, ReadOnlyMemory<byte>.Empty, null);

    public string? ContentType { get; }

    /// <summary>The body when <see cref="Stream"/> is null.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The body when the handler returned a stream; whoever sends it disposes it.</summary>
    public Stream? Stream { get; }

    public static FunctionOutput FromBytes(ReadOnlyMemory<byte> bytes, string contentType) => new(contentType, bytes, null);

    public static FunctionOutput FromStream(Stream stream, string contentType) => new(contentType, ReadOnlyMemory<byte>.Empty, stream);
}
