using System.Net;
using System.Net.Http.Headers;
using FcGateway.Configuration;
using FcGateway.Dialects.FcV1.Output;
using FcGateway.Dispatch.Push;
using FcGateway.Edge.HttpTriggers;
using FcGateway.Edge.Responses;
using FcGateway.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms.Builder;
using Yarp.ReverseProxy.Transforms;

namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// The transforms of web-mode routes (wire contract §7): FC's common headers with
/// <c>x-fc-control-path: /http-invoke</c> and the request id on the way in, the gateway's
/// <c>X-Forwarded-For</c> rules instead of YARP's default forwarders, the client's <c>Host</c> (unless the route has a
/// <c>RequestHeaderOriginalHost</c> transform of its own), and on the way out the §3 response-header rules (on the
/// trailers too, <see cref="WebResponseTrailers"/>) and the response body limit. The route's own transforms still apply.
/// </summary>
internal static class WebTriggerTransforms
{
    public const string ControlPath = "/http-invoke";
    private const string ForwardedProto = "X-Forwarded-Proto";
    private const string ForwardedHost = "X-Forwarded-Host";
    private const string ForwardedPort = "X-Forwarded-Port";
    private const string ForwardedPrefix = "X-Forwarded-Prefix";
    private const string OriginalHostTransform = "RequestHeaderOriginalHost";
    private const string TrailersAllowedTransform = "ResponseTrailersAllowed";

    /// <summary>The declared body length from which a web request asks the worker before sending the body.</summary>
    public const long AskFirstFromBytes = 256 * 1024;

    public static void Apply(TransformBuilderContext builder)
    {
        if (builder.Route.Metadata is null || FunctionRouteMetadata.GetTriggerMode(builder.Route) != TriggerMode.Web)
        {
            return;
        }

        var functionName = FunctionRouteMetadata.GetFunctionName(builder.Route) ?? builder.Route.RouteId;
        var passedTrailers = builder.CopyResponseTrailers != false ? null : TrailersAllowed(builder.Route.Transforms);
        builder.UseDefaultForwarders = false;

        // The request reaches the worker as it came (§7), its Host included, unless the route says otherwise.
        if (builder.Route.Transforms?.Any(transform => transform.ContainsKey(OriginalHostTransform)) != true)
        {
            builder.AddOriginalHost();
        }

        builder.AddRequestTransform(context => AddRequestHeaders(context, functionName, context.HttpContext.GatewaySettings()));
        builder.AddRequestTransform(KeepClientsEscapes);
        builder.AddRequestTransform(StreamRequestBody);
        builder.AddResponseTransform(context => FilterResponseHeaders(context, context.HttpContext.GatewaySettings(), passedTrailers));
        builder.AddResponseTransform(LeaveOutContent);
        builder.AddResponseTransform(context => LimitResponseBody(context, context.HttpContext.GatewaySettings().Limits.MaxResponseBodyBytes));

        // The gateway copies the worker's trailers itself, all of them or those the route allows, in place of YARP's copy
        // (and before the route's own trailer transforms, where that would be): they reach HTTP/2 clients as header
        // fields, under the same rules. A route that turned copying off without allowing any gets none.
        RemoveYarpsAllowedTrailersCopy(builder.ResponseTrailersTransforms);
        if (passedTrailers is not { Count: 0 })
        {
            builder.CopyResponseTrailers = false;
            var logger = builder.Services.GetRequiredService<ILogger<InvalidResponseHeaderHandler>>();
            builder.ResponseTrailersTransforms.Insert(
                0, new ResponseTrailersFuncTransform(context => WebResponseTrailers.CopyAsync(context, functionName, passedTrailers, logger)));
        }
    }

    private static void RemoveYarpsAllowedTrailersCopy(IList<ResponseTrailersTransform> transforms)
    {
        for (var i = transforms.Count - 1; i >= 0; i--)
        {
            if (transforms[i] is ResponseTrailersAllowedTransform)
            {
                transforms.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// The trailers a route that turned the copy of all off still passes on: those its <c>ResponseTrailersAllowed</c>
    /// transforms name (split as YARP splits them), none without one.
    /// </summary>
    private static HashSet<string> TrailersAllowed(IReadOnlyList<IReadOnlyDictionary<string, string>>? transforms)
    {
        var allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var transform in transforms ?? [])
        {
            if (transform.TryGetValue(TrailersAllowedTransform, out var names))
            {
                allowed.UnionWith(names.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        return allowed;
    }

    private static ValueTask AddRequestHeaders(RequestTransformContext context, string functionName, GatewaySettings settings)
    {
        var http = context.HttpContext;
        var headers = context.ProxyRequest.Headers;
        context.ProxyRequest.Options.Set(InvalidResponseHeaderHandler.DropInvalidValues, true);
        WorkerRequestFactory.AddCommonHeaders(headers, http.TraceIdentifier, functionName, settings.GetFunction(functionName), settings, ControlPath);

        // HttpClient sends no request trailers: a Trailer header passed on would announce fields that never come, to a
        // worker that may wait for them or check them (Go's net/http fills r.Trailer with the names, their values empty).
        headers.Remove(HeaderNames.Trailer);

        var peer = http.Connection.RemoteIpAddress;
        var trusted = ForwardedFor.IsTrusted(settings.TrustedProxies, peer);
        headers.Remove(ForwardedFor.HeaderName);
        headers.TryAddWithoutValidation(ForwardedFor.HeaderName, ForwardedFor.Append(http.Request.Headers, peer, trusted));

        // A proxy listed in TrustedProxies says which scheme, host, port and path base the client called (a TLS-terminating
        // load balancer: https, 443); the gateway's own view replaces what any other peer sent, or what a listed proxy
        // left out. It has none of a port (the client's Host carries the one it called) or a path base: those go.
        var believed = trusted && !settings.TrustedProxies.IsEmpty;
        SetForwarded(headers, ForwardedProto, http.Request.Scheme, believed);
        var host = RequestHost.Of(http.Request);
        SetForwarded(headers, ForwardedHost, host.Value, believed);
        SetForwarded(headers, ForwardedPort, value: null, believed);
        SetForwarded(headers, ForwardedPrefix, value: null, believed);
        if (!host.HasValue && string.IsNullOrEmpty(headers.Host))
        {
            // An empty Host (HTTP/1.1's spelling of "no authority") copied as it came would go out beside the one
            // HttpClient writes for the destination: two Host lines, which workers refuse (RFC 9112 §3.2). With none,
            // the worker gets its own address, as for an HTTP/1.0 request that sent no Host.
            headers.Remove(HeaderNames.Host);
        }

        return ValueTask.CompletedTask;
    }

    private static void SetForwarded(HttpRequestHeaders headers, string name, string? value, bool keepReceived)
    {
        if (keepReceived && headers.NonValidated.Contains(name))
        {
            return;
        }

        headers.Remove(name);
        if (!string.IsNullOrEmpty(value))
        {
            headers.TryAddWithoutValidation(name, value);
        }
    }

    /// <summary>
    /// YARP forwards the path ASP.NET Core holds, which has every escape of the client's decoded but <c>%2F</c> (in an
    /// absolute-form target that one too), escapes every <c>%</c> in it, and escapes a <c>%</c> of the query that starts
    /// no escape, so <c>/a%3Bb</c> would reach the worker as <c>/a;b</c>, <c>/a%2Fb</c> as <c>/a%252Fb</c> and
    /// <c>?x=%zz</c> as <c>?x=%25zz</c>. A target the client sent with an escape is addressed here instead: its path as
    /// sent (characters a path may not hold escaped) when no route transform changed it, else re-encoded by
    /// <see cref="RequestTarget.EncodedPath"/>, and its query as it stands; the address is not canonicalized, so no
    /// escape is decoded on the way (<c>%2e%2e</c> must not become a dot-segment). Runs after the route's own transforms.
    /// </summary>
    private static ValueTask KeepClientsEscapes(RequestTransformContext context)
    {
        if (context.Path.Value is not { } path)
        {
            return ValueTask.CompletedTask;
        }

        var http = context.HttpContext;
        var query = context.Query.QueryString.ToUriComponent();
        // Unchanged is compared as text: PathString's own equality ignores case.
        var unchanged = string.Equals(path, http.Request.Path.Value, StringComparison.Ordinal);
        var escaped = unchanged ? RequestTarget.HasEscapesAsSent(http) : path.Contains('%', StringComparison.Ordinal);
        if (!escaped && !query.Contains('%', StringComparison.Ordinal))
        {
            return ValueTask.CompletedTask;
        }

        var encodedPath = unchanged ? new PathString(RequestTarget.Split(http).RawPath).ToUriComponent() : RequestTarget.EncodedPath(path);
        if (encodedPath.Length == 0)
        {
            // A transform leaves no path for the route's own prefix (PathRemovePrefix on /web), which YARP's address gets
            // back as "/" from the canonicalization turned off here: the worker would read "GET ?x=1", no request target.
            encodedPath = "/";
        }

        context.ProxyRequest.RequestUri = new Uri(
            context.DestinationPrefix.TrimEnd('/') + encodedPath + query,
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        return ValueTask.CompletedTask;
    }

    /// <summary>Whether the request's body is announced to the worker with <c>Expect: 100-continue</c> and sent once it asks (<see cref="AskFirstFromBytes"/>).</summary>
    public static bool AsksFirst(HttpRequest request) => request.ContentLength >= AskFirstFromBytes;

    /// <summary>
    /// Marks the request for <see cref="StreamingRequestBodyHandler"/>, which sends its body to the worker as it comes.
    /// YARP refuses a transform that replaces the outgoing content, so the handler wraps it on the way out. A body of
    /// <see cref="AskFirstFromBytes"/> or more is announced with <c>Expect: 100-continue</c> and sent once the worker asks
    /// for it: a worker that answers without reading it (401, 413) and closes the connection, as Go's server does past
    /// 256 KiB unread, would otherwise fail the send, and its answer would be lost in a 502.
    /// </summary>
    private static ValueTask StreamRequestBody(RequestTransformContext context)
    {
        // YARP has set the content by now; a request without a body has none, and no Options are made for it.
        if (context.ProxyRequest.Content is not null)
        {
            context.ProxyRequest.Options.Set(StreamingRequestBodyHandler.FlushEachWrite, true);
            if (AsksFirst(context.HttpContext.Request))
            {
                context.ProxyRequest.Headers.ExpectContinue = true;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Refuses a status outside 100–599 and headers over <c>MaxResponseHeaderBytes</c> (counted as a function's output
    /// headers are: names and values, reserved ones included), removes what a function may not set (in the
    /// <c>Trailer</c> list too, <see cref="ResponseTrailerAnnouncement"/>, held to the names of <paramref name="passedTrailers"/>
    /// when the route copies only those), and the fields its response's <c>Connection</c> header names (YARP drops the
    /// header itself). Content-Length stays: here it frames the streamed body rather than describing a body the gateway
    /// writes itself.
    /// </summary>
    private static ValueTask FilterResponseHeaders(ResponseTransformContext context, GatewaySettings settings, IReadOnlySet<string>? passedTrailers)
    {
        // HttpClient takes any three digits for a status (000, 099, 600), which YARP would write to the client as they
        // are: a status line no client can read. Such a reply is a bad response (§5), as it is in an event's output.
        if (context.ProxyResponse is { StatusCode: var status } && (int)status is < 100 or > 599)
        {
            throw BadWebResponseException.InvalidStatus((int)status);
        }

        var headers = context.HttpContext.Response.Headers;
        if (context.ProxyResponse is { } response && ResponseHeaderBytes(response.Headers) + ResponseHeaderBytes(response.Content.Headers) > settings.Limits.MaxResponseHeaderBytes)
        {
            throw BadWebResponseException.HeadersTooLarge(settings.Limits.MaxResponseHeaderBytes);
        }

        HeaderRemoval.RemoveWhere(
            headers, static name => ResponseHeaderRules.IsReserved(name) && !name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase));
        ResponseTrailerAnnouncement.Filter(context.HttpContext.Response, passedTrailers);

        if (context.ProxyResponse?.Headers.NonValidated.TryGetValues(HeaderNames.Connection, out var connections) == true)
        {
            foreach (var connection in connections)
            {
                ConnectionNominatedHeaders.RemoveNamed(headers, connection);
            }
        }

        GatewayResponseHeaders.Apply(context.HttpContext, settings);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// A 204 or 205 carries no content (RFC 9110 §15.3.5, §15.3.6, §8.6), and Kestrel refuses to send either a body or a
    /// non-zero <c>Content-Length</c> on one: a worker that declares or sends one anyway would have the response fail
    /// once it is under way (a bare 500 without the request id; over HTTP/2 a HEAD's stream left unanswered). Its length
    /// and body are left out, so the client gets the status and headers the worker chose, as for an event function's
    /// output (<see cref="FunctionResponseWriter.MayHaveBody"/>). A 304's <c>Content-Length</c> is that of the
    /// representation it stands for, which HTTP allows and Kestrel sends, and HttpClient reads no body for it.
    /// </summary>
    private static ValueTask LeaveOutContent(ResponseTransformContext context)
    {
        if (context.ProxyResponse is { StatusCode: HttpStatusCode.NoContent or HttpStatusCode.ResetContent })
        {
            context.HttpContext.Response.ContentLength = null;
            context.SuppressResponseBody = true;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A worker's response headers as a function's output headers are counted: each name and value.</summary>
    private static long ResponseHeaderBytes(HttpHeaders headers)
    {
        long bytes = 0;
        foreach (var header in headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                bytes += HeaderBytes.Of(header.Key, value);
            }
        }

        return bytes;
    }

    /// <summary>
    /// A declared length over the limit fails the response before anything is sent (YARP answers a throwing
    /// response transform with 502); an undeclared one is counted as it streams. A declared length within the
    /// limit needs no count: HttpClient reads no further than it. A 101 has no body: its content is the upgraded
    /// connection (a WebSocket), which YARP both reads and writes, so it is left as it is — a read-only wrapper would
    /// fail the first frame the client sends.
    /// </summary>
    private static ValueTask LimitResponseBody(ResponseTransformContext context, long maxBytes)
    {
        // A body left out (LeaveOutContent: a 204 or 205) is never sent, whatever length it declared.
        if (context.ProxyResponse is not { } response || response.StatusCode == HttpStatusCode.SwitchingProtocols || context.SuppressResponseBody)
        {
            return ValueTask.CompletedTask;
        }

        var declared = response.Content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw BadWebResponseException.BodyTooLarge(maxBytes);
        }

        if (declared is null)
        {
            response.Content = new LimitedResponseContent(response.Content, maxBytes);
        }

        return ValueTask.CompletedTask;
    }
}
