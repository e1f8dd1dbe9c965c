using System.Buffers.Text;
using System.Text;

namespace FcWorker.RuntimeApi;

/// <summary>The bytes of the requests a poll loop sends: <c>GET next</c>, written once, and the head of each reply's post.</summary>
internal sealed class RuntimeApiRequests(Uri invocationBase)
{
    private const int LengthDigits = 20;

    private readonly byte[] _postStart = Encoding.ASCII.GetBytes($"POST {invocationBase.AbsolutePath}");
    private readonly byte[] _host = Encoding.ASCII.GetBytes($" HTTP/1.1\r\nHost: {invocationBase.Authority}\r\n");

    /// <summary><c>GET {base}next</c>, the long poll.</summary>
    public ReadOnlyMemory<byte> Next { get; } = Encoding.ASCII.GetBytes($"GET {invocationBase.AbsolutePath}next HTTP/1.1\r\nHost: {invocationBase.Authority}\r\n\r\n");

    /// <summary>The most bytes <see cref="WriteReplyHead"/> writes for these values.</summary>
    public int MaxReplyHeadBytes(string escapedRequestId, string outcome, string? contentType) =>
        _postStart.Length + escapedRequestId.Length + 1 + outcome.Length + _host.Length
        + (contentType is null ? 0 : "Content-Type: \r\n".Length + contentType.Length)
        + "Transfer-Encoding: chunked\r\n\r\n".Length + LengthDigits;

    /// <summary>
    /// Writes the head of the post of a call's <paramref name="outcome"/> to the path of a request id (escaped for a path
    /// segment), its body of <paramref name="length"/> bytes, or chunked when the length is not known; returns its size.
    /// </summary>
    public int WriteReplyHead(Span<byte> destination, string escapedRequestId, string outcome, string? contentType, long? length)
    {
        var written = Append(destination, 0, _postStart);
        written += Encoding.Latin1.GetBytes(escapedRequestId, destination[written..]);
        destination[written++] = (byte)'/';
        written += Encoding.Latin1.GetBytes(outcome, destination[written..]);
        written = Append(destination, written, _host);
        if (contentType is not null)
        {
            written = Append(destination, written, "Content-Type: "u8);
            written += Encoding.Latin1.GetBytes(contentType, destination[written..]);
            written = Append(destination, written, "\r\n"u8);
        }

        if (length is not { } known)
        {
            return Append(destination, written, "Transfer-Encoding: chunked\r\n\r\n"u8);
        }

        written = Append(destination, written, "Content-Length: "u8);
        Utf8Formatter.TryFormat(known, destination[written..], out var digits);
        return Append(destination, written + digits, "\r\n\r\n"u8);
    }

    private static int Append(Span<byte> destination, int written, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[written..]);
        return written + bytes.Length;
    }
}
