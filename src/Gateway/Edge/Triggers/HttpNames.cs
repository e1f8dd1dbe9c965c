using System.Buffers;

namespace FcGateway.Edge.Triggers;

/// <summary>Checks on header and cookie names written in trigger settings.</summary>
internal static class HttpNames
{
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    /// <summary>Whether <paramref name="name"/> is a non-empty RFC 9110 token.</summary>
    public static bool IsToken(string name) => name.Length > 0 && !name.AsSpan().ContainsAnyExcept(TokenChars);

    /// <summary>
    /// Headers a claim may not be written to: the gateway's own <c>x-fc-*</c> namespace and the ones that frame
    /// or route the request.
    /// </summary>
    public static bool IsReservedRequestHeader(string name) =>
        name.StartsWith("x-fc-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Connection", StringComparison.OrdinalIgnoreCase);
}
