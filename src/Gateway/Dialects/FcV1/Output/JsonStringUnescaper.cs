using System.Text;

namespace FcGateway.Dialects.FcV1.Output;

/// <summary>
/// Unescapes the text of a JSON string the reader has already validated, in place: an escape is never shorter than
/// what it stands for, so the text only moves towards the start. An unpaired surrogate escape (<c>"\ud800"</c>, what
/// JavaScript's <c>JSON.stringify</c> writes for half of a cut emoji) becomes U+FFFD, as Go's and Python's decoders
/// read it, instead of failing the whole response.
/// </summary>
internal static class JsonStringUnescaper
{
    private const int EscapedUnitLength = 6;

    /// <returns>The length of the unescaped UTF-8 text, now at the start of <paramref name="text"/>.</returns>
    public static int UnescapeInPlace(Span<byte> text)
    {
        var read = 0;
        var write = 0;
        while (true)
        {
            var plain = text[read..].IndexOf((byte)'\\');
            if (plain < 0)
            {
                plain = text.Length - read;
            }

            text.Slice(read, plain).CopyTo(text[write..]);
            read += plain;
            write += plain;
            if (read == text.Length)
            {
                return write;
            }

            var escaped = text[read + 1];
            if (escaped != (byte)'u')
            {
                text[write++] = escaped switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => escaped, // '"', '\\' and '/' stand for themselves
                };
                read += 2;
                continue;
            }

            var unit = CodeUnitAt(text, read);
            read += EscapedUnitLength;
            var scalar = Rune.ReplacementChar;
            if (!char.IsSurrogate(unit))
            {
                scalar = new Rune(unit);
            }
            else if (char.IsHighSurrogate(unit) && read + EscapedUnitLength <= text.Length && text[read] == (byte)'\\' && text[read + 1] == (byte)'u'
                && CodeUnitAt(text, read) is var low && char.IsLowSurrogate(low))
            {
                scalar = new Rune(unit, low);
                read += EscapedUnitLength;
            }

            write += scalar.EncodeToUtf8(text[write..]);
        }
    }

    /// <summary>The UTF-16 code unit of the <c>\uXXXX</c> escape at <paramref name="at"/> (its four hex digits were validated).</summary>
    private static char CodeUnitAt(ReadOnlySpan<byte> text, int at) =>
        (char)((HexDigit(text[at + 2]) << 12) | (HexDigit(text[at + 3]) << 8) | (HexDigit(text[at + 4]) << 4) | HexDigit(text[at + 5]));

    private static int HexDigit(byte digit) => digit <= (byte)'9' ? digit - '0' : (digit | 0x20) - 'a' + 10;
}
