using System.Buffers;
using FcGateway.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Edge.Requests;

/// <summary>
/// What the HTTP server lets through but the gateway refuses as malformed (400 InvalidArgument), because a worker,
/// a log or a later proxy could read it differently from the gateway: control characters, spaces, characters outside
/// ASCII or a '#' in the request target (HTTP/2's :path included), dot-segments (raw or percent-encoded) and
/// separators encoded twice in the path, a Host whose punycode does not decode, over HTTP/1.x a transfer coding
/// besides chunked or any Transfer-Encoding on an HTTP/1.0 request, and over HTTP/2 and HTTP/3 the fields RFC 9113 §8.2
/// makes malformed.
/// </summary>
internal static class MalformedRequests
{
    private static readonly SearchValues<char> DotOrEscape = SearchValues.Create(".%");

    private static readonly string[] ConnectionSpecificHeaders =
    [
        HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.ProxyConnection, HeaderNames.TransferEncoding, HeaderNames.Upgrade,
    ];

    /// <returns>Why the request is malformed, or null.</returns>
    public static string? Find(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        // Kestrel refuses these over HTTP/1.1 but takes an HTTP/2 :path as it comes: "/a b" would reach the event as its
        // rawPath, which is the path as encoded.
        var refused = target.AsSpan().IndexOfAnyExceptInRange('!', '~');
        if (refused >= 0)
        {
            return target[refused] switch
            {
                ' ' => "The request target contains a space; percent-encode it (%20).",
                > '~' => "The request target contains a character outside ASCII; percent-encode its UTF-8 bytes.",
                _ => "The request target contains a control character.",
            };
        }

        if (target.Contains('#', StringComparison.Ordinal))
        {
            // A request target has no fragment (RFC 9112 §3.2); Kestrel drops one from an absolute-form target's path but
            // not from what follows it, so the path routed and the path described would differ.
            return "The request target contains '#'; a fragment is not sent to a server.";
        }

        if (FindPathProblem(target) is { } problem)
        {
            return problem;
        }

        if (RequestHost.HasUndecodablePunycode(request))
        {
            return "The Host header holds a punycode label (xn--) that does not decode; send the host name's ASCII form.";
        }

        return HttpProtocol.IsHttp2(request.Protocol) || HttpProtocol.IsHttp3(request.Protocol)
            ? FindMalformedFields(request.Headers)
            : FindFramingProblem(request);
    }

    /// <summary>
    /// Whether an HTTP/1.x request's body is framed in a way a proxy in front could read otherwise, so that it would take
    /// some of the body for a request of its own: the gateway refuses such a request, and closes the connection after
    /// the answer rather than read on from where it thinks the body ended (RFC 9112 §6.1).
    /// </summary>
    public static bool HasAmbiguousFraming(HttpRequest request) =>
        !HttpProtocol.IsHttp2(request.Protocol) && !HttpProtocol.IsHttp3(request.Protocol) && FindFramingProblem(request) is not null;

    /// <summary>
    /// HTTP/1.0 has no Transfer-Encoding: RFC 9112 §6.1 has a server treat an HTTP/1.0 message that carries one as
    /// faultily framed, since whatever passed it on as HTTP/1.0 may have framed its body otherwise (Kestrel would read it
    /// as chunked and keep the connection alive).
    /// </summary>
    private static string? FindFramingProblem(HttpRequest request)
    {
        var transferEncoding = request.Headers.TransferEncoding;
        if (HttpProtocol.IsHttp10(request.Protocol) && transferEncoding.Count > 0)
        {
            return "An HTTP/1.0 request has no Transfer-Encoding (RFC 9112 §6.1); send its body with a Content-Length.";
        }

        return FindCodingBesidesChunked(transferEncoding);
    }

    /// <summary>
    /// Kestrel reads a body whose Transfer-Encoding ends in <c>chunked</c> as chunked and leaves the codings before it
    /// applied (<c>gzip, chunked</c>, <c>chunked, chunked</c>), while the field naming them goes no further: a worker would
    /// take compressed or still-chunked bytes for the body. The gateway decodes chunked alone (RFC 9112 §6.1; empty list
    /// elements name nothing, RFC 9110 §5.6.1).
    /// </summary>
    private static string? FindCodingBesidesChunked(StringValues transferEncoding)
    {
        var codings = 0;
        foreach (var line in transferEncoding)
        {
            var list = line.AsSpan();
            foreach (var range in list.Split(','))
            {
                var coding = list[range].Trim(" \t");
                if (!coding.IsEmpty && (++codings > 1 || !coding.Equals("chunked", StringComparison.OrdinalIgnoreCase)))
                {
                    return "The request's Transfer-Encoding applies a coding besides chunked; send the body chunked alone.";
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Looks at the path percent-decoded once (the query is not looked at): a segment that is <c>.</c> or <c>..</c> is
    /// refused — also followed by path parameters (<c>..;x</c>, <c>..;</c>), which Java servlet containers remove before
    /// they resolve the path, so that <c>/public/..;/secret</c> is <c>/secret</c> to them — and so is an encoded slash
    /// or backslash left after that decoding (<c>%2F</c>, <c>%5C</c>): the client
    /// encoded it twice, however it spelled that (<c>%252F</c>, <c>%25%32%46</c>, <c>%2%46</c>). ASP.NET Core holds such
    /// a path like one with an encoded slash, so a path transform could not keep them apart, and a worker decoding once
    /// more would find a separator (and behind it a dot-segment) the gateway's checks did not see.
    /// </summary>
    private static string? FindPathProblem(string target)
    {
        var queryStart = target.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? target.AsSpan() : target.AsSpan(0, queryStart);
        if (!path.ContainsAny(DotOrEscape))
        {
            return null;
        }

        var decoded = Uri.UnescapeDataString(path).AsSpan();
        foreach (var range in decoded.SplitAny("/\\"))
        {
            if (PathParameters.Remove(decoded[range]) is "." or "..")
            {
                return "The request path contains a dot-segment ('.' or '..', also percent-encoded); send the path it resolves to.";
            }
        }

        return decoded.Contains("%2F", StringComparison.OrdinalIgnoreCase) || decoded.Contains("%5C", StringComparison.OrdinalIgnoreCase)
            ? "The request path contains a slash or backslash encoded twice (%252F, %255C); encode it once."
            : null;
    }

    private static string? FindMalformedFields(IHeaderDictionary headers)
    {
        foreach (var header in headers)
        {
            var name = header.Key;
            if (!HttpTokens.IsToken(name))
            {
                return "A header field name is not a token (RFC 9113 §8.2.1).";
            }

            foreach (var connectionSpecific in ConnectionSpecificHeaders)
            {
                if (name.Equals(connectionSpecific, StringComparison.OrdinalIgnoreCase))
                {
                    return $"The connection-specific header field {connectionSpecific} is not allowed over HTTP/2 (RFC 9113 §8.2.2).";
                }
            }

            if (name.Equals(HeaderNames.TE, StringComparison.OrdinalIgnoreCase) && !header.Value.ToString().Equals("trailers", StringComparison.OrdinalIgnoreCase))
            {
                return "The TE header field may only be \"trailers\" over HTTP/2 (RFC 9113 §8.2.2).";
            }

            if (!name.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase) && HasSurroundingWhitespace(header.Value))
            {
                return $"The value of the header field {name} starts or ends with a space or a tab (RFC 9113 §8.2.1).";
            }
        }

        return null;
    }

    /// <summary>
    /// HTTP/1.1's parser strips the whitespace around a field value, HPACK carries it: a function would read
    /// <c>" v"</c> over HTTP/2 where the same request over HTTP/1.1 gives it <c>"v"</c>, and a web worker whatever its
    /// client library makes of it. Not asked of <c>Cookie</c>: Kestrel has joined its crumbs with <c>"; "</c> already, so
    /// an empty crumb, which is well-formed, would end the value with a space, and a cookie parser trims around each pair.
    /// </summary>
    private static bool HasSurroundingWhitespace(StringValues values)
    {
        foreach (var value in values)
        {
            if (value is { Length: > 0 } && (IsWhitespace(value[0]) || IsWhitespace(value[^1])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t';
}
