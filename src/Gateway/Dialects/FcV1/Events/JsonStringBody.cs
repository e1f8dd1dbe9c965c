using System.Buffers;
using System.Buffers.Text;

namespace FcGateway.Dialects.FcV1.Events;

/// <summary>
/// Writes an event body as a JSON string: text with only the escapes JSON requires (<c>\"</c>, <c>\\</c>,
/// control characters), found with a vectorized search and everything between copied as it is; binary as
/// base64. A body costs about a copy whatever its size, and its encoded length is known before writing, so
/// an event can be streamed with a Content-Length.
/// </summary>
internal static class JsonStringBody
{
    /// <summary>Input bytes per step; a multiple of 3, so base64 steps join without padding.</summary>
    public const int ChunkBytes = 48 * 1024;

    /// <summary>How many bytes after an escape are looked at one by one before searching again.</summary>
    private const int ClusterLookAhead = 16;

    private static readonly SearchValues<byte> NeedEscaping = SearchValues.Create(JsonEscaping.RequiredBytes());

    private static readonly bool[] IsEscaped = JsonEscaping.Table();

    /// <summary>The length of the body's JSON string content, quotes excluded.</summary>
    /// <remarks>
    /// Quotes and backslashes, frequent in JSON bodies, are counted with vectorized counts; only control
    /// characters, rare in text, are visited one by one (each costs one more byte, or five for <c>\u00XX</c>).
    /// </remarks>
    public static long EncodedLength(ReadOnlySpan<byte> body, bool base64)
    {
        if (base64)
        {
            return (body.Length + 2L) / 3 * 4;
        }

        long length = body.Length + body.Count((byte)'"') + body.Count((byte)'\\');
        for (var next = body.IndexOfAnyInRange((byte)0, (byte)0x1F); next >= 0; next = body.IndexOfAnyInRange((byte)0, (byte)0x1F))
        {
            length += ShortForm(body[next]) != 0 ? 1 : 5;
            body = body[(next + 1)..];
        }

        return length;
    }

    /// <summary>Writes one step of the body's string content (no quotes); text may be split anywhere, base64 at multiples of 3.</summary>
    public static void WriteContent(IBufferWriter<byte> output, ReadOnlySpan<byte> body, bool base64)
    {
        if (base64)
        {
            WriteBase64(output, body);
        }
        else
        {
            WriteEscaped(output, body);
        }
    }

    private static void WriteBase64(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var chunk = bytes.Length > ChunkBytes ? bytes[..ChunkBytes] : bytes;
            var destination = output.GetSpan(Base64.GetMaxEncodedToUtf8Length(chunk.Length));
            Base64.EncodeToUtf8(chunk, destination, out _, out var written);
            output.Advance(written);
            bytes = bytes[chunk.Length..];
        }
    }

    /// <summary>
    /// Escapes step by step: each step's exact encoded length is counted first (vectorized), so the step is written
    /// into one span with no further calls to the writer.
    /// </summary>
    private static void WriteEscaped(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            var step = utf8.Length > ChunkBytes ? utf8[..ChunkBytes] : utf8;
            var length = (int)EncodedLength(step, base64: false);
            EscapeInto(step, output.GetSpan(length));
            output.Advance(length);
            utf8 = utf8[step.Length..];
        }
    }

    /// <summary>Writes the escaped form of <paramref name="utf8"/> at the start of <paramref name="destination"/>.</summary>
    /// <remarks>
    /// A vectorized search finds the next byte to escape; after one, the next few bytes are looked at one by one, since
    /// in JSON text escapes come in clusters (<c>{"a":"b"}</c>) and restarting the search for each costs more.
    /// </remarks>
    private static void EscapeInto(ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        var written = 0;
        var pending = 0;
        var position = 0;
        while (position < utf8.Length)
        {
            var found = utf8[position..].IndexOfAny(NeedEscaping);
            if (found < 0)
            {
                break;
            }

            position += found;
            do
            {
                utf8[pending..position].CopyTo(destination[written..]);
                written += position - pending;
                written += WriteEscape(destination[written..], utf8[position]);
                pending = ++position;
                var lookAheadEnd = Math.Min(utf8.Length, position + ClusterLookAhead);
                while (position < lookAheadEnd && !IsEscaped[utf8[position]])
                {
                    position++;
                }
            }
            while (position < utf8.Length && IsEscaped[utf8[position]]);
        }

        utf8[pending..].CopyTo(destination[written..]);
    }

    private static int WriteEscape(Span<byte> destination, byte value)
    {
        destination[0] = (byte)'\\';
        if (ShortForm(value) is var shortForm and not 0)
        {
            destination[1] = shortForm;
            return 2;
        }

        destination[1] = (byte)'u';
        destination[2] = (byte)'0';
        destination[3] = (byte)'0';
        destination[4] = HexDigit(value >> 4);
        destination[5] = HexDigit(value & 0xF);
        return 6;
    }

    private static byte ShortForm(byte value) => value switch
    {
        (byte)'"' => (byte)'"',
        (byte)'\\' => (byte)'\\',
        (byte)'\n' => (byte)'n',
        (byte)'\r' => (byte)'r',
        (byte)'\t' => (byte)'t',
        (byte)'\b' => (byte)'b',
        (byte)'\f' => (byte)'f',
        _ => 0,
    };

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);
}
