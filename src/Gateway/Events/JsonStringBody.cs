using System.Buffers;
using System.Buffers.Text;

namespace FcGateway.Events;

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

    private static readonly SearchValues<byte> NeedEscaping = SearchValues.Create(JsonEscaping.RequiredBytes());

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

    private static void WriteEscaped(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            var next = utf8.IndexOfAny(NeedEscaping);
            Copy(output, next < 0 ? utf8 : utf8[..next]);
            if (next < 0)
            {
                return;
            }

            WriteEscape(output, utf8[next]);
            utf8 = utf8[(next + 1)..];
        }
    }

    private static void Copy(IBufferWriter<byte> output, ReadOnlySpan<byte> run)
    {
        while (!run.IsEmpty)
        {
            var destination = output.GetSpan(Math.Min(run.Length, ChunkBytes));
            var length = Math.Min(run.Length, destination.Length);
            run[..length].CopyTo(destination);
            output.Advance(length);
            run = run[length..];
        }
    }

    private static void WriteEscape(IBufferWriter<byte> output, byte value)
    {
        var destination = output.GetSpan(6);
        destination[0] = (byte)'\\';
        if (ShortForm(value) is var shortForm and not 0)
        {
            destination[1] = shortForm;
            output.Advance(2);
            return;
        }

        destination[1] = (byte)'u';
        destination[2] = (byte)'0';
        destination[3] = (byte)'0';
        destination[4] = HexDigit(value >> 4);
        destination[5] = HexDigit(value & 0xF);
        output.Advance(6);
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
