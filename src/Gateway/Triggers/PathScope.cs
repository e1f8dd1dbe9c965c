namespace FcGateway.Triggers;

/// <summary>
/// Which request paths a JWT trigger verifies: all of them, all but a whitelist, or only a blacklist. A pattern
/// matches a path exactly, or, ending in <c>*</c>, every path that starts with what precedes the <c>*</c>.
/// Paths compare case-sensitively, as received (decoded, dot segments removed by the server).
/// </summary>
internal sealed class PathScope
{
    /// <summary>Every path is verified.</summary>
    public static readonly PathScope All = new([], whitelist: true);

    private readonly string[] _patterns;
    private readonly bool _whitelist;

    private PathScope(string[] patterns, bool whitelist)
    {
        _patterns = patterns;
        _whitelist = whitelist;
    }

    /// <summary>The listed paths skip verification.</summary>
    public static PathScope Whitelist(IEnumerable<string> patterns) => new([.. patterns], whitelist: true);

    /// <summary>Only the listed paths are verified.</summary>
    public static PathScope Blacklist(IEnumerable<string> patterns) => new([.. patterns], whitelist: false);

    /// <summary>Whether a request to <paramref name="path"/> must carry a valid token.</summary>
    public bool IsVerified(PathString path) => Matches(path.Value ?? "") != _whitelist;

    /// <summary>Whether <paramref name="pattern"/> is usable: it starts with <c>/</c> and has at most a trailing <c>*</c>.</summary>
    public static bool IsValidPattern(string pattern) =>
        pattern.StartsWith('/') && pattern.IndexOf('*', StringComparison.Ordinal) is var star && (star < 0 || star == pattern.Length - 1);

    private bool Matches(string path)
    {
        foreach (var pattern in _patterns)
        {
            var matched = pattern.EndsWith('*')
                ? path.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
                : string.Equals(path, pattern, StringComparison.Ordinal);
            if (matched)
            {
                return true;
            }
        }

        return false;
    }
}
