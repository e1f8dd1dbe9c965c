using FcGateway.Configuration;
using FcGateway.Edge.HttpTriggers;
using FcGateway.Http;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Edge.Requests;

/// <summary>
/// Holds a request to the limits of wire contract §8 before anything else reads it: on arrival, with the settings it
/// takes then, and once more right after routing when routing gives it a reload's settings instead.
/// </summary>
internal static class RequestLimits
{
    private static readonly string[] AllowedMethods =
    [
        HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Head, HttpMethods.Patch, HttpMethods.Options,
    ];

    /// <summary>The methods the gateway accepts, as an <c>Allow</c> header lists them.</summary>
    public static readonly string AllowedMethodList = string.Join(", ", AllowedMethods);

    /// <summary>
    /// Holds the request to <paramref name="limits"/>: on arrival, and again when routing gives it the settings of a
    /// reload (<see cref="GatewayRequestFeature.RoutedTo"/>). Sets Kestrel's body limit for it, unless its body has started
    /// being read, then <see cref="Check"/>s it.
    /// </summary>
    /// <param name="context">The request.</param>
    /// <param name="limits">The limits it is held to.</param>
    /// <param name="message">Why it is refused, or empty.</param>
    /// <param name="headers">Its headers' scan, made for the header limit (default when the request was refused before it).</param>
    /// <returns>The error to answer with, or null when the request is within the limits.</returns>
    public static Outcome? Apply(HttpContext context, GatewayLimits limits, out string message, out RequestHeaderScan headers)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = UnsizedRequestBodies.KestrelBound(context.Request, limits.MaxRequestBodyBytes);
        }

        return Check(context, limits, out message, out headers);
    }

    /// <returns>The error to answer with, or null when the request is within the limits.</returns>
    private static Outcome? Check(HttpContext context, GatewayLimits limits, out string message, out RequestHeaderScan headers)
    {
        var request = context.Request;
        headers = default;
        if (!IsAllowedMethod(ExtendedConnect.EffectiveMethod(context)))
        {
            message = $"The method {request.Method} is not supported; use GET, POST, PUT, DELETE, HEAD, PATCH or OPTIONS.";
            return Outcome.InvalidArgument;
        }

        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (RequestTarget.PathAndQuery(target).Length > limits.MaxPathAndQueryBytes)
        {
            message = $"The path and query exceed {limits.MaxPathAndQueryBytes} bytes.";
            return Outcome.InvalidArgument;
        }

        headers = RequestHeaderScan.Of(request.Headers);
        if (headers.Bytes > limits.MaxRequestHeaderBytes)
        {
            message = $"The request headers exceed {limits.MaxRequestHeaderBytes} bytes.";
            return Outcome.InvalidArgument;
        }

        if (request.ContentLength > limits.MaxRequestBodyBytes)
        {
            (var tooLarge, message) = RequestBodyFailure.TooLarge(limits.MaxRequestBodyBytes);
            return tooLarge;
        }

        message = "";
        return null;
    }

    /// <summary>Methods are case-sensitive (RFC 9110 §9.1): <c>post</c> is not POST, and is not passed on as if it were.</summary>
    private static bool IsAllowedMethod(string method)
    {
        foreach (var allowed in AllowedMethods)
        {
            if (string.Equals(method, allowed, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
