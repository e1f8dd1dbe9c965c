using System.Text;

namespace Gateway.Tests.Attacks;

/// <summary>The HPACK (RFC 7541) of <see cref="RawHttp2Connection"/>: fields written as literals without Huffman coding, and a response's status read.</summary>
internal static class HpackFields
{
    private static readonly int[] StaticStatuses = [200, 204, 206, 304, 400, 404, 500];

    /// <summary>The status is the first field the server encodes: indexed from the static table, or a literal with the :status name.</summary>
    internal static int DecodeStatus(byte[] block)
    {
        if ((block[0] & 0x80) != 0)
        {
            return StaticStatuses[(block[0] & 0x7f) - 8];
        }

        var length = block[1] & 0x7f;
        return int.Parse(Encoding.ASCII.GetString(block, 2, length), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static void WriteLiteral(MemoryStream block, int nameIndex, string? name, string value)
    {
        block.WriteByte((byte)nameIndex);
        if (name is not null)
        {
            WriteString(block, name);
        }

        WriteString(block, value);
    }

    /// <summary>A string literal without Huffman coding: its length an HPACK integer of a 7-bit prefix (RFC 7541 §5.1), then its bytes.</summary>
    private static void WriteString(MemoryStream block, string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        const int PrefixMax = 0x7f;
        if (bytes.Length < PrefixMax)
        {
            block.WriteByte((byte)bytes.Length);
        }
        else
        {
            block.WriteByte(PrefixMax);
            var rest = bytes.Length - PrefixMax;
            for (; rest >= 0x80; rest >>= 7)
            {
                block.WriteByte((byte)((rest & 0x7f) | 0x80));
            }

            block.WriteByte((byte)rest);
        }

        block.Write(bytes);
    }
}
