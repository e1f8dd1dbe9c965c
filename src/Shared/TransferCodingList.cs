using System.Buffers;
using System.Text;

namespace FcShared;

/// <summary>
/// One Transfer-Encoding line read as HttpClient reads it (RFC 9112 §6.1): a list of transfer codings (a token, then
/// parameters <c>;name[=token|quoted-string]</c>), empty elements allowed, a NUL or a CR read as a space. A line that is
/// not wholly such a list names no coding, and only <c>chunked</c> without parameters frames the body in chunks:
/// <c>gzip, chunked</c> does, <c>chunked;x=1</c> and <c>chunked, @@</c> do not. Read by the gateway's own worker client
/// and the SDK's runtime-API connection alike.
/// </summary>
internal static class TransferCodingList
{
    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~"u8);

    public static bool NamesChunked(ReadOnlySpan<byte> line)
    {
        var chunked = false;
        var position = SkipSeparators(line, 0, out _);
        while (position < line.Length)
        {
            var coding = line[position..TokenEnd(line, position)];
            if (coding.IsEmpty)
            {
                return false;
            }

            position = SkipWhitespace(line, position + coding.Length);
            var hasParameters = position < line.Length && line[position] == (byte)';';
            if (hasParameters && (position = ParametersEnd(line, position + 1)) < 0)
            {
                return false;
            }

            chunked |= !hasParameters && Ascii.EqualsIgnoreCase(coding, "chunked"u8);
            position = SkipSeparators(line, position, out var separated);
            if (!separated && position < line.Length)
            {
                return false;
            }
        }

        return chunked;
    }

    /// <summary>Where <c>name[=value]</c> parameters separated by <c>;</c> end; -1 when one is malformed.</summary>
    private static int ParametersEnd(ReadOnlySpan<byte> line, int position)
    {
        while (true)
        {
            position = SkipWhitespace(line, position);
            var nameEnd = TokenEnd(line, position);
            if (nameEnd == position)
            {
                return -1;
            }

            position = SkipWhitespace(line, nameEnd);
            if (position < line.Length && line[position] == (byte)'=')
            {
                position = SkipWhitespace(line, position + 1);
                var valueEnd = Math.Max(TokenEnd(line, position), QuotedStringEnd(line, position));
                if (valueEnd == position)
                {
                    return -1;
                }

                position = SkipWhitespace(line, valueEnd);
            }

            if (position == line.Length || line[position] != (byte)';')
            {
                return position;
            }

            position++;
        }
    }

    private static int TokenEnd(ReadOnlySpan<byte> line, int position)
    {
        var length = line[position..].IndexOfAnyExcept(TokenBytes);
        return length < 0 ? line.Length : position + length;
    }

    /// <summary>
    /// Where a quoted string starting at <paramref name="position"/> ends (<paramref name="position"/> when there is none):
    /// a backslash escapes the ASCII byte after it unless that would leave no room for the closing quote, as HttpClient reads it.
    /// </summary>
    private static int QuotedStringEnd(ReadOnlySpan<byte> line, int position)
    {
        if (position == line.Length || line[position] != (byte)'"')
        {
            return position;
        }

        for (var current = position + 1; current < line.Length; current++)
        {
            if (line[current] == (byte)'\\' && current + 2 < line.Length && line[current + 1] <= 127)
            {
                current++;
            }
            else if (line[current] == (byte)'"')
            {
                return current + 1;
            }
        }

        return position;
    }

    /// <summary>Skips whitespace, then a run of commas (and whitespace); <paramref name="separated"/> says whether there was one.</summary>
    private static int SkipSeparators(ReadOnlySpan<byte> line, int position, out bool separated)
    {
        position = SkipWhitespace(line, position);
        separated = false;
        while (position < line.Length && line[position] == (byte)',')
        {
            separated = true;
            position = SkipWhitespace(line, position + 1);
        }

        return position;
    }

    /// <summary>Spaces and tabs, and a NUL or a CR, which HttpClient reads as a space in a field's value.</summary>
    private static int SkipWhitespace(ReadOnlySpan<byte> line, int position)
    {
        var length = line[position..].IndexOfAnyExcept(" \t\0\r"u8);
        return length < 0 ? line.Length : position + length;
    }
}
