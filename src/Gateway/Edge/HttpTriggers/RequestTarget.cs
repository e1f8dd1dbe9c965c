using System.Text;
using FcGateway.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.HttpTriggers;

/// <summary>
/// The path and query an event describes: as received, or — when the route declares YARP transforms —
/// as the route's path and query transforms rewrite them.
/// </summary>
internal static class RequestTarget
{
    private const string TransformBase = "http://function";

    /// <returns>
    /// The URL-encoded path, the query string without its <c>?</c> (empty when none; a slice of the request target, so
    /// nothing is copied for the dialects that do not write it), and the decoded query.
    /// </returns>
    public static async ValueTask<(string RawPath, ReadOnlyMemory<char> RawQueryString, IEnumerable<KeyValuePair<string, StringValues>> Query)> ResolveAsync(HttpContext context, RouteModel route)
    {
        if (route.Config.Transforms is not { Count: > 0 })
        {
            var (rawPath, rawQueryString) = Split(context);
            return (rawPath, rawQueryString, QueryParameters.Parse(rawQueryString.Span));
        }

        using var scratch = new HttpRequestMessage();
        await route.Transformer.TransformRequestAsync(context, scratch, TransformBase, context.RequestAborted);
        var uri = scratch.RequestUri!;
        return (EncodedPath(Uri.UnescapeDataString(uri.AbsolutePath)), WithoutQuestionMark(uri.Query), QueryParameters.Parse(uri.Query));
    }

    /// <summary>
    /// A path as ASP.NET Core holds it, URL-encoded again. Kestrel decodes every escape but <c>%2F</c> (an encoded slash
    /// stays as it came), so a <c>%</c> in it is either the start of that <c>%2F</c>, kept, or a literal percent sign the
    /// client sent as <c>%25</c>, escaped again — never an escape to decode a second time (<c>%252e</c> must not become a
    /// dot). YARP escapes every <c>%</c>, which made an encoded slash <c>%252F</c>. What cannot be told apart is a
    /// client's <c>%252F</c>, which Kestrel also holds as <c>%2F</c>.
    /// </summary>
    internal static string EncodedPath(string path)
    {
        if (path.Length == 0)
        {
            return "";
        }

        var escaped = new StringBuilder(path.Length + 8);
        for (var i = 0; i < path.Length; i++)
        {
            var isEncodedSlash = i + 2 < path.Length && path[i + 1] == '2' && (path[i + 2] | 0x20) == 'f';
            if (path[i] == '%' && !isEncodedSlash)
            {
                escaped.Append("%25");
            }
            else
            {
                escaped.Append(path[i]);
            }
        }

        return new PathString(escaped.ToString()).ToUriComponent();
    }

    /// <summary>
    /// The path part of the request target as the client sent it, still URL-encoded; the event's <c>path</c> is this
    /// decoded, and trigger path scopes read it too (<see cref="Configuration.Triggers.PathScope"/>).
    /// </summary>
    internal static string RawPath(HttpContext context) => Split(context).RawPath;

    /// <summary>
    /// The path of the request target as the client sent it, still URL-encoded (without a raw target, ASP.NET Core's
    /// path), and the query without its <c>?</c> (empty when there is none) as the request now holds it: a trigger may
    /// have removed a token or a forged claim from it, and the raw target does not show that.
    /// </summary>
    internal static (string RawPath, ReadOnlyMemory<char> RawQueryString) Split(HttpContext context)
    {
        var query = WithoutQuestionMark(context.Request.QueryString.Value);
        var sent = PathAsSent(context);
        // No path as sent (an asterisk-form OPTIONS *): the decoded one, encoded once.
        return (sent.IsEmpty ? (context.Request.PathBase + context.Request.Path).ToUriComponent() : sent.ToString(), query);
    }

    /// <summary>
    /// Whether the path as the client sent it holds a percent-escape: ASP.NET Core's path has decoded every escape but
    /// <c>%2F</c> (in an absolute-form target that one too), so it cannot tell.
    /// </summary>
    internal static bool HasEscapesAsSent(HttpContext context)
    {
        var sent = PathAsSent(context);
        return sent.IsEmpty ? context.Request.Path.Value?.Contains('%', StringComparison.Ordinal) == true : sent.Contains('%');
    }

    /// <summary>The path part of the request target as sent, still URL-encoded; empty when the target has none.</summary>
    private static ReadOnlySpan<char> PathAsSent(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        var pathAndQuery = string.IsNullOrEmpty(target) ? [] : PathAndQuery(target);
        if (pathAndQuery.IsEmpty || pathAndQuery[0] != '/')
        {
            return [];
        }

        var end = pathAndQuery.IndexOf('?');
        return end < 0 ? pathAndQuery : pathAndQuery[..end];
    }

    /// <summary>The path and query of a request target: all of it in origin form, what follows the authority in absolute form (<c>http://host/path?query</c>).</summary>
    internal static ReadOnlySpan<char> PathAndQuery(string target)
    {
        var scheme = target.StartsWith('/') ? -1 : target.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return target;
        }

        var authority = target.AsSpan(scheme + 3);
        var end = authority.IndexOfAny('/', '?', '\\');
        return end < 0 ? [] : authority[end..];
    }

    private static ReadOnlyMemory<char> WithoutQuestionMark(string? query) =>
        string.IsNullOrEmpty(query) ? ReadOnlyMemory<char>.Empty : query[0] == '?' ? query.AsMemory(1) : query.AsMemory();
}
