using FcGateway.Http;

namespace FcGateway.Configuration.Triggers;

/// <summary>
/// Which request paths a JWT trigger verifies: all of them, all but a whitelist, or only a blacklist. A pattern
/// matches a path exactly, or, ending in <c>*</c>, every path that starts with what precedes the <c>*</c>; runs of
/// <c>/</c> read as one.
/// </summary>
/// <remarks>
/// <para>
/// Routing sends several spellings of a path to one function: any case of its literal segments, with or without a
/// trailing <c>/</c>. Each list reads them in the direction that verifies: a blacklisted pattern matches every such
/// spelling (case-insensitively, and the path with its trailing <c>/</c> added or removed), while a whitelisted
/// pattern matches only the spelling FC's rule names (case-sensitively; <c>/a</c> does not match <c>/a/</c>,
/// <c>/a/*</c> matches <c>/a/</c> but not <c>/a</c>).
/// </para>
/// <para>
/// A request has two readings: the path the server decoded and routed (<see cref="HttpRequest.Path"/>, where
/// <c>%2F</c> stays encoded and dot segments are already removed), and the raw target fully decoded, which is the
/// path the function's event reports. A request skips verification only when both readings skip it, and never when
/// the decoded raw path holds a dot segment: a function may resolve <c>/public/..%2Fsecret</c> or
/// <c>/secret/../public/x</c> to a path the scope would have verified.
/// </para>
/// <para>
/// A third reading is the decoded raw path without path parameters (<see cref="PathParameters"/>), as a Java servlet
/// container reads it: a blacklisted <c>/admin</c> verifies <c>/admin;jsessionid=1</c> and <c>/;x/admin</c>, and
/// <c>/public/..;/secret</c> holds a dot segment.
/// </para>
/// </remarks>
internal sealed class PathScope
{
    /// <summary>Every path is verified.</summary>
    public static readonly PathScope All = new([], whitelist: true);

    private readonly string[] _patterns;
    private readonly bool _whitelist;

    private PathScope(IEnumerable<string> patterns, bool whitelist)
    {
        // Requests are compared with repeated slashes collapsed, so a pattern written with them must be too.
        _patterns = [.. patterns.Select(CollapseSlashes)];
        _whitelist = whitelist;
    }

    /// <summary>The listed paths skip verification.</summary>
    public static PathScope Whitelist(IEnumerable<string> patterns) => new(patterns, whitelist: true);

    /// <summary>Only the listed paths are verified.</summary>
    public static PathScope Blacklist(IEnumerable<string> patterns) => new(patterns, whitelist: false);

    /// <summary>
    /// Whether a request must carry a valid token, given its routed <paramref name="path"/> and the path of its
    /// request target as sent, still URL-encoded (<paramref name="rawPath"/>).
    /// </summary>
    public bool IsVerified(PathString path, string rawPath)
    {
        if (_patterns.Length == 0 && _whitelist)
        {
            return true;
        }

        var decoded = Uri.UnescapeDataString(rawPath);
        var withoutParameters = PathParameters.RemoveFromEachSegment(decoded);
        return HasDotSegment(withoutParameters) || IsVerifiedReading(path.Value ?? "") || IsVerifiedReading(decoded)
            || IsVerifiedReading(withoutParameters);
    }

    /// <summary>Whether <paramref name="pattern"/> is usable: it starts with <c>/</c> and has at most a trailing <c>*</c>.</summary>
    public static bool IsValidPattern(string pattern) =>
        pattern.StartsWith('/') && pattern.IndexOf('*', StringComparison.Ordinal) is var star && (star < 0 || star == pattern.Length - 1);

    private bool IsVerifiedReading(string path)
    {
        var collapsed = CollapseSlashes(path);
        return _whitelist
            ? !Matches(collapsed, StringComparison.Ordinal)
            : Matches(collapsed, StringComparison.OrdinalIgnoreCase) || Matches(ToggleTrailingSlash(collapsed), StringComparison.OrdinalIgnoreCase);
    }

    private bool Matches(string path, StringComparison comparison)
    {
        foreach (var pattern in _patterns)
        {
            var matched = pattern.EndsWith('*')
                ? path.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), comparison)
                : string.Equals(path, pattern, comparison);
            if (matched)
            {
                return true;
            }
        }

        return false;
    }

    private static string ToggleTrailingSlash(string path) =>
        path.Length <= 1 ? path : path.EndsWith('/') ? path[..^1] : path + "/";

    private static bool HasDotSegment(string path) =>
        path.Contains("/./", StringComparison.Ordinal) || path.Contains("/../", StringComparison.Ordinal)
        || path.EndsWith("/.", StringComparison.Ordinal) || path.EndsWith("/..", StringComparison.Ordinal);

    private static string CollapseSlashes(string path)
    {
        if (!path.Contains("//", StringComparison.Ordinal))
        {
            return path;
        }

        var collapsed = new System.Text.StringBuilder(path.Length);
        foreach (var c in path)
        {
            if (c != '/' || collapsed.Length == 0 || collapsed[^1] != '/')
            {
                collapsed.Append(c);
            }
        }

        return collapsed.ToString();
    }
}
