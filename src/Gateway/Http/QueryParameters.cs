using System.Net;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace FcGateway.Http;

/// <summary>
/// The decoded parameters of a query string as FC and Lambda give them to a function: keys compared case-sensitively
/// (<c>a</c> and <c>A</c> are two parameters, as Go's <c>url.ParseQuery</c> has them), in the order of their first
/// appearance, each with its values in the order sent. Pairs are separated by <c>&amp;</c>; <c>+</c> is a space;
/// a <c>%</c> not followed by two hex digits is kept as it is (Go's parser drops such a pair); bytes that do not
/// decode to UTF-8 become U+FFFD. ASP.NET Core's own query collection is not used: it merges keys that differ only in case.
/// </summary>
internal static class QueryParameters
{
    /// <param name="query">The query string, with or without its leading <c>?</c>, still URL-encoded.</param>
    public static IReadOnlyCollection<KeyValuePair<string, StringValues>> Parse(ReadOnlySpan<char> query)
    {
        if (query.StartsWith('?'))
        {
            query = query[1..];
        }

        if (query.IsEmpty)
        {
            return [];
        }

        var parameters = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var key = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            parameters[key] = parameters.TryGetValue(key, out var earlier) ? StringValues.Concat(earlier, value) : new StringValues(value);
        }

        return parameters;
    }

    /// <summary>
    /// <paramref name="query"/> without the pairs whose decoded key is <paramref name="name"/> in any case, every other
    /// byte of it as it was but <c>;</c>, escaped (keys that differ in case from each other stay apart, escapes stay as
    /// sent), and
    /// <c>name=value</c> appended when <paramref name="value"/> is given: how a trigger removes a query token or a
    /// client's forged claim and writes the verified claim instead.
    /// </summary>
    public static QueryString Replace(QueryString query, string name, string? value)
    {
        var text = query.Value.AsSpan();
        if (text.StartsWith('?'))
        {
            text = text[1..];
        }

        var kept = new StringBuilder(text.Length + 16);
        foreach (var range in text.Split('&'))
        {
            var pair = text[range];
            var equals = pair.IndexOf('=');
            if (pair.IsEmpty || Decode(equals < 0 ? pair : pair[..equals]).Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // A ';' goes escaped: parsers that split pairs at ';' too would otherwise find a pair the gateway did not.
            kept.Append(kept.Length == 0 ? '?' : '&');
            foreach (var c in pair)
            {
                if (c == ';')
                {
                    kept.Append("%3B");
                }
                else
                {
                    kept.Append(c);
                }
            }
        }

        if (value is not null)
        {
            kept.Append(kept.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return kept.Length == 0 ? QueryString.Empty : new QueryString(kept.ToString());
    }

    /// <summary>One key or value: <c>+</c> to a space, <c>%XX</c> to its byte, the bytes read as UTF-8 (invalid ones U+FFFD).</summary>
    internal static string Decode(ReadOnlySpan<char> text) =>
        text.IndexOfAny('%', '+') < 0 ? text.ToString() : WebUtility.UrlDecode(text.ToString());
}
