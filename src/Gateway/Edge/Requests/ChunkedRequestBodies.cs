using FcGateway.Buffers;
using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Edge.Requests;

/// <summary>
/// Kestrel counts a chunked HTTP/1.x body's framing (chunk sizes, line ends) against <c>MaxRequestBodySize</c>, so a
/// body of exactly the limit sent in chunks would be refused, and one of 100-byte chunks already at 93 % of it. For those
/// requests Kestrel is given a bound that every chunking of a body within the limit fits (<see cref="WireBound"/>), and
/// the gateway counts the body's own bytes: <see cref="RequestBodyReader"/> as it reads, web mode through
/// <see cref="LimitedBody"/>. Bodies with a Content-Length, and HTTP/2 and HTTP/3 bodies (whose frames Kestrel does not
/// count), keep Kestrel's limit as it is.
/// </summary>
internal static class ChunkedRequestBodies
{
    /// <summary>A body sent one byte per chunk takes six bytes on the wire per byte (<c>1\r\nX\r\n</c>).</summary>
    private const long MaxWireBytesPerBodyByte = 6;

    /// <summary>Room for the last chunk and trailers, which Kestrel's header limits bound anyway.</summary>
    private const long TrailerAllowance = 64 * 1024;

    public static bool IsOne(HttpRequest request) =>
        request.ContentLength is null
        && !HttpProtocol.IsHttp2(request.Protocol)
        && !HttpProtocol.IsHttp3(request.Protocol)
        && request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true };

    /// <summary>What Kestrel may count for a chunked body of at most <paramref name="maxBodyBytes"/>.</summary>
    public static long WireBound(long maxBodyBytes) =>
        maxBodyBytes > (long.MaxValue - TrailerAllowance) / MaxWireBytesPerBodyByte
            ? long.MaxValue
            : (maxBodyBytes * MaxWireBytesPerBodyByte) + TrailerAllowance;

    /// <summary>
    /// The request body as a stream that fails as Kestrel would past the limit (a 413 <see cref="BadHttpRequestException"/>,
    /// which <see cref="RequestBodyFailure"/> classifies), for readers that do not count themselves.
    /// </summary>
    public static Stream LimitedBody(Stream body, long maxBodyBytes) =>
        new LimitedReadStream(body, maxBodyBytes, static limit => new BadHttpRequestException(RequestBodyFailure.TooLarge(limit).Message, StatusCodes.Status413PayloadTooLarge));
}
