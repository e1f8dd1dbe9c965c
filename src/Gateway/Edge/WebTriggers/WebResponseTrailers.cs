using FcGateway.Dialects.FcV1.Output;
using FcGateway.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Transforms;

namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// Copies a web worker's response trailers to the client's response in place of YARP, which would copy them as they came,
/// under the rules of its headers (wire contract §3): a name a function may not set is left out, and a value HTTP does not
/// allow (a control character, a byte outside ASCII such as raw UTF-8) is dropped and logged, since the server refuses to
/// write it and would fail the stream after its body.
/// </summary>
internal static partial class WebResponseTrailers
{
    /// <summary>
    /// Whether a worker's trailer of this name reaches the client: one a function may set, among those the route allows
    /// (<paramref name="allowed"/>; all when null). The <c>Trailer</c> header's list is held to it too (<see cref="ResponseTrailerAnnouncement"/>).
    /// </summary>
    public static bool PassesOn(string name, IReadOnlySet<string>? allowed) =>
        allowed?.Contains(name) != false && !ResponseHeaderRules.IsReserved(name);

    /// <summary>
    /// Copies the trailers of <paramref name="context"/>'s worker response, for <paramref name="functionName"/>: all of
    /// them when <paramref name="allowed"/> is null, else those it names (YARP's <c>ResponseTrailersAllowed</c>, which this
    /// copy stands in for too). Dropped values are logged to <paramref name="logger"/>, the category of the web response
    /// headers dropped alike.
    /// </summary>
    public static ValueTask CopyAsync(ResponseTrailersTransformContext context, string functionName, IReadOnlySet<string>? allowed, ILogger logger)
    {
        if (context.ProxyResponse is not { } response || context.HttpContext.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is not { } trailers)
        {
            return ValueTask.CompletedTask;
        }

        List<string>? dropped = null;
        foreach (var trailer in response.TrailingHeaders.NonValidated)
        {
            if (!PassesOn(trailer.Key, allowed))
            {
                continue;
            }

            if (!InvalidResponseHeaderHandler.AreValid(trailer.Value))
            {
                (dropped ??= []).Add(trailer.Key);
                continue;
            }

            trailers[trailer.Key] = StringValues.Concat(trailers[trailer.Key], new StringValues([.. trailer.Value]));
        }

        if (dropped is not null)
        {
            Log.ResponseTrailersDropped(logger, context.HttpContext.TraceIdentifier, functionName, LogText.EscapeNames(dropped));
        }

        return ValueTask.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.ResponseHeaderDropped, LogLevel.Warning, "Request {RequestId}: function {FunctionName} returned invalid response trailers, which were dropped: {HeaderNames}.")]
        public static partial void ResponseTrailersDropped(ILogger logger, string requestId, string functionName, string headerNames);
    }
}
