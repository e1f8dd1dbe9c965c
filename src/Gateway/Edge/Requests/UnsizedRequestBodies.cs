using FcGateway.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Edge.Requests;

/// <summary>
/// Request bodies without a Content-Length — chunked HTTP/1.x bodies, and HTTP/2 and HTTP/3 bodies that declare none —
/// which the gateway counts against <c>MaxRequestBodyBytes</c> itself (<see cref="RequestBodyReader"/> as it reads, web
/// mode through <see cref="LimitedBody"/>), giving Kestrel a looser bound (<see cref="KestrelBound"/>):
/// <list type="bullet">
/// <item>Kestrel counts a chunked body's framing (chunk sizes, line ends), so a body of exactly the limit sent in chunks
/// would be refused, and one of 100-byte chunks already at 93 % of it: Kestrel's bound is one every chunking of a body
/// within the limit fits.</item>
/// <item>Kestrel's reader fails for good at its bound, so an HTTP/2 or HTTP/3 body refused there could not be read on
/// after the answer, and its stream would be reset (<see cref="UnreadBodyAfterAnswer"/>): Kestrel's bound is the drain's,
/// twice the limit.</item>
/// </list>
/// Bodies with a Content-Length keep Kestrel's limit as it is.
/// </summary>
internal static class UnsizedRequestBodies
{
    /// <summary>A body sent one byte per chunk takes six bytes on the wire per byte (<c>1\r\nX\r\n</c>).</summary>
    private const long MaxWireBytesPerBodyByte = 6;

    /// <summary>Room for the last chunk and trailers, which Kestrel's header limits bound anyway.</summary>
    private const long TrailerAllowance = 64 * 1024;

    /// <summary>A body without a Content-Length; not an HTTP/2 extended CONNECT's (a WebSocket's stream is no body).</summary>
    public static bool IsOne(HttpRequest request) =>
        request.ContentLength is null
        && !HttpMethods.IsConnect(request.Method)
        && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true };

    /// <summary>What Kestrel may count for the body of <paramref name="request"/> when the gateway allows <paramref name="maxBodyBytes"/>.</summary>
    public static long KestrelBound(HttpRequest request, long maxBodyBytes)
    {
        if (!IsOne(request))
        {
            return maxBodyBytes;
        }

        return HttpProtocol.IsHttp2(request.Protocol) || HttpProtocol.IsHttp3(request.Protocol)
            ? UnreadBodyAfterAnswer.MaxBytes(maxBodyBytes)
            : WireBound(maxBodyBytes);
    }

    /// <summary>
    /// The request body as a stream that fails as Kestrel would past the limit (a 413 <see cref="BadHttpRequestException"/>,
    /// which <see cref="RequestBodyFailure"/> classifies), for readers that do not count themselves.
    /// </summary>
    public static Stream LimitedBody(Stream body, long maxBodyBytes) =>
        new LimitedReadStream(body, maxBodyBytes, static limit => new BadHttpRequestException(RequestBodyFailure.TooLarge(limit).Message, StatusCodes.Status413PayloadTooLarge));

    /// <summary>What Kestrel may count for a chunked body of at most <paramref name="maxBodyBytes"/>.</summary>
    private static long WireBound(long maxBodyBytes) =>
        maxBodyBytes > (long.MaxValue - TrailerAllowance) / MaxWireBytesPerBodyByte
            ? long.MaxValue
            : (maxBodyBytes * MaxWireBytesPerBodyByte) + TrailerAllowance;
}
