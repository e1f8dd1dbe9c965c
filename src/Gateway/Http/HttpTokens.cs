using System.Buffers;
using System.Text;

namespace FcGateway.Http;

/// <summary>
/// The characters HTTP allows in a field name (an RFC 9110 token) and in a field value, for names and values the
/// gateway did not write itself: request headers, a function's response headers, names in trigger settings.
/// </summary>
internal static class HttpTokens
{
    private const string TokenCharacters = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly SearchValues<char> TokenChars = SearchValues.Create(TokenCharacters);

    private static readonly SearchValues<byte> TokenBytes = SearchValues.Create(Encoding.ASCII.GetBytes(TokenCharacters));

    /// <summary>Whether <paramref name="name"/>, as it came over the wire, is a non-empty RFC 9110 token.</summary>
    public static bool IsToken(ReadOnlySpan<byte> name) => name.Length > 0 && !name.ContainsAnyExcept(TokenBytes);

    /// <summary>Whether <paramref name="name"/> is a non-empty RFC 9110 token.</summary>
    public static bool IsToken(string name) => name.Length > 0 && !name.AsSpan().ContainsAnyExcept(TokenChars);

    /// <summary>Visible ASCII, space and horizontal tab only: no CR, LF, NUL or other control characters.</summary>
    public static bool IsValidFieldValue(string value)
    {
        foreach (var c in value)
        {
            if (c is (< ' ' and not '\t') or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether <paramref name="value"/> holds a control character (CR and LF above all; the tab is allowed), which no
    /// header value may. Characters outside ASCII may: the gateway passes a request's header values on in UTF-8.
    /// </summary>
    public static bool HasControlCharacter(ReadOnlySpan<char> value) =>
        value.ContainsAnyInRange('\0', '\b') || value.ContainsAnyInRange('\n', '\u001f') || value.Contains('\u007f');
}
