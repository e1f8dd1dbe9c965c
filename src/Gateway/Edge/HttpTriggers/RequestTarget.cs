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
    /// A path as ASP.NET Core holds it (decoded, but for the <c>%2F</c> of an encoded slash, which Kestrel leaves as it
    /// came) URL-encoded again with that <c>%2F</c> kept. YARP encodes every <c>%</c> of a transformed path, so an encoded
    /// slash would reach the function as <c>%252F</c>.
    /// </summary>
    internal static string EncodedPath(string path) => path.Length == 0 ? "" : new PathString(path).ToUriComponent();

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
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            return ((context.Request.PathBase + context.Request.Path).ToUriComponent(), query);
        }

        var end = target.IndexOf('?');
        return (end < 0 ? target : target[..end], query);
    }

    private static ReadOnlyMemory<char> WithoutQuestionMark(string? query) =>
        string.IsNullOrEmpty(query) ? ReadOnlyMemory<char>.Empty : query[0] == '?' ? query.AsMemory(1) : query.AsMemory();
}
