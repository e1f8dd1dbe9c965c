using System.Buffers;
using System.Buffers.Text;

namespace FcGateway.Events;

/// <summary>
/// Writes an event body as a JSON string straight into the output: text with only the escapes JSON requires
/// (<c>\"</c>, <c>\\</c>, control characters), found with a vectorized search and everything between copied
/// as it is; binary as base64, encoded chunk by chunk. A body costs about a copy, whatever its size, and
/// never needs a temporary buffer.
/// </summary>
internal static class JsonStringBody
{
    private const int ChunkBytes = 48 * 1024;
    private static readonly SearchValues<byte> NeedEscaping = SearchValues.Create(EscapedBytes());

    /// <summary>Writes <c>"…"</c>: <paramref name="utf8"/> (valid UTF-8) escaped.</summary>
    public static void WriteText(IBufferWriter<byte> output, ReadOnlySpan<byte> utf8)
    {
        WriteByte(output, (byte)'"');
        while (!utf8.IsEmpty)
        {
            var next = utf8.IndexOfAny(NeedEscaping);
            Copy(output, next < 0 ? utf8 : utf8[..next]);
            if (next < 0)
            {
                break;
            }

            WriteEscape(output, utf8[next]);
            utf8 = utf8[(next + 1)..];
        }

        WriteByte(output, (byte)'"');
    }

    /// <summary>Writes <c>"…"</c>: <paramref name="bytes"/> in base64.</summary>
    public static void WriteBase64(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        WriteByte(output, (byte)'"');
        while (!bytes.IsEmpty)
        {
            var chunk = bytes.Length > ChunkBytes ? bytes[..ChunkBytes] : bytes;
            var destination = output.GetSpan(Base64.GetMaxEncodedToUtf8Length(chunk.Length));
            Base64.EncodeToUtf8(chunk, destination, out _, out var written);
            output.Advance(written);
            bytes = bytes[chunk.Length..];
        }

        WriteByte(output, (byte)'"');
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
        var shortForm = value switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'\n' => (byte)'n',
            (byte)'\r' => (byte)'r',
            (byte)'\t' => (byte)'t',
            (byte)'\b' => (byte)'b',
            (byte)'\f' => (byte)'f',
            _ => (byte)0,
        };

        if (shortForm != 0)
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

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static byte[] EscapedBytes()
    {
        var bytes = new byte[0x22];
        for (var i = 0; i < 0x20; i++)
        {
            bytes[i] = (byte)i;
        }

        bytes[0x20] = (byte)'"';
        bytes[0x21] = (byte)'\\';
        return bytes;
    }
}
