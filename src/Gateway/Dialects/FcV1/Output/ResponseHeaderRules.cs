using System.Buffers;

namespace FcGateway.Dialects.FcV1.Output;

/// <summary>
/// Which headers a function may set (wire contract §3): reserved names and every <c>x-fc-</c> header are
/// ignored; names that are not HTTP tokens and values with control or non-ASCII characters are dropped.
/// </summary>
internal static class ResponseHeaderRules
{
    private static readonly string[] ReservedNames =
    [
        "connection", "content-length", "date", "keep-alive", "server", "content-disposition", "upgrade", "transfer-encoding",
    ];

    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool IsReserved(string name)
    {
        if (name.StartsWith("x-fc-", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var reserved in ReservedNames)
        {
            if (name.Equals(reserved, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsValidName(string name) => name.Length > 0 && !name.AsSpan().ContainsAnyExcept(TokenChars);

    /// <summary>Visible ASCII, space and horizontal tab only: no CR, LF, NUL or other control characters.</summary>
    public static bool IsValidValue(string value)
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
}
