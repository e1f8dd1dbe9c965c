using System.Buffers;
using System.Text;
using FcGateway.Http;

namespace FcGateway.Dispatch.Push.Http1;

/// <summary>
/// Reads a <c>Transfer-Encoding</c> line as HttpClient does: a list of codings (RFC 9112 §6.1), each a token with
/// parameters (<c>gzip;q="1"</c>), empty items allowed, a NUL or a CR read as a space. A line that is no such list names
/// no coding at all.
/// </summary>
internal static class TransferCodings
{
    private static readonly SearchValues<byte> NotTokenBytes = SearchValues.Create(
        Enumerable.Range(0, 256).Select(b => (byte)b).Where(b => !HttpTokens.IsToken([b])).ToArray());

    /// <summary>
    /// Whether <paramref name="value"/> is a valid list of codings with <c>chunked</c>, without parameters, among them:
    /// <c>chunked, gzip</c> is, <c>chunked;x=1</c> and <c>chunked, @@</c> are not.
    /// </summary>
    public static bool NameChunked(ReadOnlySpan<byte> value)
    {
        var chunked = false;
        var position = 0;
        while (true)
        {
            SkipWhiteSpace(value, ref position);
            if (position == value.Length)
            {
                return chunked;
            }

            if (value[position] == ',')
            {
                position++;
                continue;
            }

            var coding = ReadToken(value, ref position);
            var hasParameters = false;
            SkipWhiteSpace(value, ref position);
            while (position < value.Length && value[position] == ';')
            {
                position++;
                if (!SkipParameter(value, ref position))
                {
                    return false;
                }

                hasParameters = true;
            }

            if (coding.IsEmpty || (position < value.Length && value[position] != ','))
            {
                return false;
            }

            chunked |= !hasParameters && Ascii.EqualsIgnoreCase(coding, "chunked"u8);
        }
    }

    /// <summary>A parameter after its <c>;</c>: a name, and optionally <c>=</c> and a token or quoted string.</summary>
    private static bool SkipParameter(ReadOnlySpan<byte> value, ref int position)
    {
        SkipWhiteSpace(value, ref position);
        if (ReadToken(value, ref position).IsEmpty)
        {
            return false;
        }

        SkipWhiteSpace(value, ref position);
        if (position == value.Length || value[position] != '=')
        {
            return true;
        }

        position++;
        SkipWhiteSpace(value, ref position);
        var valid = position < value.Length && value[position] == '"'
            ? SkipQuotedString(value, ref position)
            : !ReadToken(value, ref position).IsEmpty;
        SkipWhiteSpace(value, ref position);
        return valid;
    }

    private static bool SkipQuotedString(ReadOnlySpan<byte> value, ref int position)
    {
        for (position++; position < value.Length; position++)
        {
            if (value[position] == '\\')
            {
                position++;
            }
            else if (value[position] == '"')
            {
                position++;
                return true;
            }
        }

        return false;
    }

    private static ReadOnlySpan<byte> ReadToken(ReadOnlySpan<byte> value, ref int position)
    {
        var length = value[position..].IndexOfAny(NotTokenBytes);
        var token = length < 0 ? value[position..] : value.Slice(position, length);
        position += token.Length;
        return token;
    }

    /// <summary>Spaces and tabs, and a NUL or a CR, which HttpClient reads as a space in a field's value.</summary>
    private static void SkipWhiteSpace(ReadOnlySpan<byte> value, ref int position)
    {
        while (position < value.Length && value[position] is (byte)' ' or (byte)'\t' or 0 or (byte)'\r')
        {
            position++;
        }
    }
}
