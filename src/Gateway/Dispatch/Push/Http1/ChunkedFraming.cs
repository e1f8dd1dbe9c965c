using System.Buffers.Text;
using FcShared;

namespace FcGateway.Dispatch.Push.Http1;

/// <summary>
/// The framing of a chunked body (RFC 9112 §7.1) as the gateway's client reads it: a chunk's size line, and a body held
/// whole in bytes already received, which a reply that is not read (a 429) passes over without waiting for more.
/// </summary>
internal static class ChunkedFraming
{
    /// <summary>
    /// A chunk's size from its line (without its line end), extensions ignored; as HttpClient, white space may follow the
    /// size (before its extensions), not precede it.
    /// </summary>
    public static bool TryParseSize(ReadOnlySpan<byte> line, out ulong size)
    {
        var extension = line.IndexOf((byte)';');
        var digits = (extension < 0 ? line : line[..extension]).TrimEnd(" \t"u8);
        return Utf8Parser.TryParse(digits, out size, out var consumed, 'X') && consumed == digits.Length && !digits.IsEmpty;
    }

    /// <summary>
    /// Whether <paramref name="bytes"/> are a whole chunked body and nothing after it: well-framed chunks, the last one,
    /// trailers that are fields within <paramref name="allowedTrailerBytes"/>, and the blank line ending them. A body
    /// cut short, malformed, or with lines over the limits the body's reading has (<see cref="WorkerConnection.MaxChunkLineBytes"/>)
    /// is not; nothing is thrown.
    /// </summary>
    /// <param name="bytes">What was received after the head.</param>
    /// <param name="allowedTrailerBytes">What the heads left of their limit, as the trailers of a body read have it.</param>
    public static bool IsWholeBody(ReadOnlySpan<byte> bytes, int allowedTrailerBytes)
    {
        var position = 0;
        while (true)
        {
            if (!TryReadLine(bytes, ref position, WorkerConnection.MaxChunkLineBytes, out var line) || !TryParseSize(line, out var size))
            {
                return false;
            }

            if (size == 0)
            {
                return TrailersEndAtTheEnd(bytes, position, allowedTrailerBytes);
            }

            if (size > (ulong)(bytes.Length - position))
            {
                return false;
            }

            position += (int)size;
            if (!TryReadLine(bytes, ref position, WorkerConnection.MaxChunkLineBytes, out var end) || !end.IsEmpty)
            {
                return false;
            }
        }
    }

    private static bool TrailersEndAtTheEnd(ReadOnlySpan<byte> bytes, int position, int allowedBytes)
    {
        var first = true;
        while (true)
        {
            var lineStart = position;
            if (!TryReadLine(bytes, ref position, allowedBytes, out var line))
            {
                return false;
            }

            if (line.IsEmpty)
            {
                return position == bytes.Length;
            }

            // A fold continues the trailer before it; before any trailer it is refused, as a body read refuses it.
            if (line[0] is (byte)' ' or (byte)'\t' ? first : !ReplyHead.IsFieldLine(line))
            {
                return false;
            }

            first = false;
            allowedBytes -= position - lineStart;
        }
    }

    /// <summary>The next line within <paramref name="maxBytes"/>, its line end included; false when it has not all come or is longer.</summary>
    private static bool TryReadLine(ReadOnlySpan<byte> bytes, ref int position, int maxBytes, out ReadOnlySpan<byte> line)
    {
        var start = position;
        return HttpHeadLines.TryRead(bytes, ref position, out line) && position - start <= maxBytes;
    }
}
