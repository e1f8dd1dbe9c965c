namespace FcGateway.Http;

/// <summary>
/// Path parameters (RFC 2396 §3.3: <c>;</c> and what follows it in a segment), which Java servlet containers (Tomcat,
/// Jetty, Undertow) remove from each segment before they resolve dot-segments and match their mappings: to them
/// <c>/admin;jsessionid=1</c> is <c>/admin</c> and <c>/public/..;/secret</c> is <c>/secret</c>. The gateway reads a
/// path that way too wherever it draws a boundary on the path, so a web function on such a container cannot be
/// reached on a path the gateway read as another one.
/// </summary>
internal static class PathParameters
{
    /// <summary>The segment without its parameters: what precedes its first <c>;</c>.</summary>
    public static ReadOnlySpan<char> Remove(ReadOnlySpan<char> segment) =>
        segment.IndexOf(';') is var semicolon and >= 0 ? segment[..semicolon] : segment;

    /// <summary>The path with the parameters of each segment removed (<c>/a;x/b;y</c> is <c>/a/b</c>).</summary>
    public static string RemoveFromEachSegment(string path)
    {
        if (!path.Contains(';', StringComparison.Ordinal))
        {
            return path;
        }

        return string.Join('/', path.Split('/').Select(segment => Remove(segment).ToString()));
    }
}
