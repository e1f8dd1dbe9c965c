using System.Diagnostics.CodeAnalysis;
using FcGateway.Http;

namespace FcGateway.Configuration.Triggers;

/// <summary>
/// One entry of a <c>TokenLookup</c> list, <c>header:Authorization:Bearer </c>, <c>cookie:token</c> or
/// <c>query:jwt</c>: where a token may be and the prefix stripped from the value before it is validated.
/// </summary>
internal sealed record TokenSource(TokenLocation Location, string Name, string Prefix)
{
    /// <summary>The lookup of a trigger that sets none: the standard bearer header.</summary>
    public static readonly IReadOnlyList<TokenSource> DefaultLookup = [new(TokenLocation.Header, "Authorization", "Bearer ")];

    /// <summary>
    /// Parses a comma-separated lookup list; false, with one error for each entry that is not a source, when any is
    /// not. Space before an entry is ignored; space after a prefix is part of it (<c>Bearer </c>), and whitespace left
    /// around the token once the prefix is stripped is trimmed.
    /// </summary>
    public static bool TryParseList(string text, [NotNullWhen(true)] out IReadOnlyList<TokenSource>? sources, out IReadOnlyList<string> errors)
    {
        var parsed = new List<TokenSource>();
        var problems = new List<string>();
        foreach (var entry in text.Split(','))
        {
            var parts = entry.TrimStart().Split(':', 3);
            var location = parts[0].Trim();
            var name = parts.Length > 1 ? parts[1].Trim() : "";
            if (!TryParseLocation(location, out var kind) || !HttpTokens.IsToken(name))
            {
                problems.Add($"'{entry.Trim()}' is not a token source: write header:<name>[:<prefix>], cookie:<name> or query:<name>, separated by commas.");
                continue;
            }

            parsed.Add(new TokenSource(kind, name, parts.Length > 2 ? parts[2] : ""));
        }

        sources = problems.Count == 0 ? parsed : null;
        errors = problems;
        return sources is not null;
    }

    /// <summary>The token in <paramref name="request"/>, with the prefix stripped, or null when this source has none.</summary>
    public string? Find(HttpRequest request) => Location switch
    {
        TokenLocation.Header => Stripped(request.Headers[Name].ToString()),
        TokenLocation.Cookie => CookieTokens(request).FirstOrDefault(),
        _ => Stripped(request.Query[Name].ToString()),
    };

    /// <summary>
    /// Every token of this source in <paramref name="request"/>, in the order sent: at most one in a header or a query
    /// parameter, but one for each cookie of that name, since a browser sends every cookie it holds for the request,
    /// one per path and domain that set it (RFC 6265 §5.4): an expired one beside the fresh one. A cookie's value is
    /// percent-decoded, as ASP.NET Core's cookie collection decodes it.
    /// </summary>
    public IEnumerable<string> FindAll(HttpRequest request) =>
        Location == TokenLocation.Cookie ? CookieTokens(request) : Find(request) is { } token ? [token] : [];

    private IEnumerable<string> CookieTokens(HttpRequest request)
    {
        foreach (var header in request.Headers.Cookie)
        {
            foreach (var cookie in (header ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var separator = cookie.IndexOf('=', StringComparison.Ordinal);
                if (separator > 0
                    && cookie.AsSpan(0, separator).TrimEnd().Equals(Name, StringComparison.OrdinalIgnoreCase)
                    && Stripped(Unquoted(Uri.UnescapeDataString(cookie[(separator + 1)..].TrimStart()))) is { } token)
                {
                    yield return token;
                }
            }
        }
    }

    private string? Stripped(string? value)
    {
        if (string.IsNullOrEmpty(value) || !value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = value.AsSpan(Prefix.Length).Trim();
        return token.IsEmpty ? null : token.ToString();
    }

    /// <summary>
    /// A cookie's value without the double quotes RFC 6265 allows around it (<c>token="eyJ…"</c>), which are not part
    /// of it.
    /// </summary>
    private static string? Unquoted(string? value) =>
        value is { Length: >= 2 } && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    private static bool TryParseLocation(string text, out TokenLocation location)
    {
        var parsed = Enum.TryParse(text, ignoreCase: true, out location) && !int.TryParse(text, out _);
        return parsed && Enum.IsDefined(location);
    }
}
