using System.Text;

namespace FcShared;

/// <summary>
/// The lines of an HTTP/1.1 response head, and the comma lists in its fields, read as HttpClient reads them: by the
/// gateway's own worker client and by the SDK's runtime-API connection alike.
/// </summary>
internal static class HttpHeadLines
{
    /// <summary>The next line, without its CR LF (or bare LF); false when its end has not arrived.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes, ref int position, out ReadOnlySpan<byte> line)
    {
        var end = bytes[position..].IndexOf((byte)'\n');
        if (end < 0)
        {
            line = default;
            return false;
        }

        line = bytes.Slice(position, end);
        if (line.EndsWith((byte)'\r'))
        {
            line = line[..^1];
        }

        position += end + 1;
        return true;
    }

    /// <summary>Whether the comma list <paramref name="value"/> holds <paramref name="token"/>, in any letter case.</summary>
    public static bool HasToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (var range in value.Split((byte)','))
        {
            // A NUL or a CR is a space to HttpClient.
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t\0\r"u8), token))
            {
                return true;
            }
        }

        return false;
    }
}
