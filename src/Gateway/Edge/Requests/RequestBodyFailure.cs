using FcGateway.Edge.Signatures;
using FcGateway.Outcomes;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Edge.Requests;

/// <summary>
/// The request-body failures a client is to blame for, as Kestrel reports them while the body is read — by the
/// gateway in event mode and on the invocation API, by YARP's forwarder in web mode (where a body without a Content-Length over
/// the limit fails the same way, from <see cref="UnsizedRequestBodies.LimitedBody"/>) — and the error each is
/// answered with; and the failures that mean the client went away in the middle of its body
/// (<see cref="IsClientGone"/>). Anything else is a gateway fault, left to the caller.
/// </summary>
internal static class RequestBodyFailure
{
    /// <summary>A client that left while sending its body: 499, written to nobody.</summary>
    public static readonly (Outcome Error, string Message) ClientGone =
        (Outcome.ClientClosed, "The client went away while sending the request body.");

    public static (Outcome Error, string Message) TooLarge(long maxBodyBytes) =>
        (Outcome.EntityTooLarge, $"The request body exceeds {maxBodyBytes} bytes.");

    /// <summary>
    /// Whether reading the body failed because the client's connection or stream went away: reset (Kestrel's
    /// <c>ConnectionResetException</c>; an <see cref="IOException"/> under TLS or for an HTTP/2 stream the client reset)
    /// or aborted (the read cancelled). Reading the body touches nothing but the client's connection, so such a failure
    /// is the client leaving even when Kestrel has not yet fired <c>RequestAborted</c> for it, which it does a moment
    /// after the read fails.
    /// </summary>
    /// <param name="exception">What reading the body threw; YARP reports it inside an <see cref="AggregateException"/>.</param>
    public static bool IsClientGone(Exception? exception) => exception switch
    {
        BadHttpRequestException or IOException { InnerException: OverflowException } => false,
        IOException or OperationCanceledException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsClientGone),
        _ => false,
    };

    /// <summary>
    /// Whether Kestrel stopped reading the body at <paramref name="exception"/>: a body malformed, too slow or past its
    /// limit, after which it reads nothing more on an HTTP/1.x connection and closes it once answered. A signed body that
    /// does not match its signature was read whole.
    /// </summary>
    /// <param name="exception">What reading the body threw; YARP reports it inside an <see cref="AggregateException"/>.</param>
    public static bool StopsTheBody(Exception? exception) => exception switch
    {
        BadHttpRequestException or IOException { InnerException: OverflowException } => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(StopsTheBody),
        _ => false,
    };

    /// <summary>Notes on the request's <see cref="GatewayRequestFeature"/> that Kestrel stopped reading its body (<see cref="StopsTheBody"/>).</summary>
    public static void NoteWhetherStopped(HttpContext context, Exception? exception)
    {
        if (StopsTheBody(exception) && context.Features.Get<GatewayRequestFeature>() is { } request)
        {
            request.BodyStopped = true;
        }
    }

    /// <summary>
    /// The connection ended before an HTTP/1.x body did, which is the client leaving (FIN in the middle of its body, where
    /// a reset is an <see cref="IOException"/>), not a malformed body: Kestrel's one 400 for a body of declared length,
    /// and for a chunked one the same "Unexpected end of request content" (in a chunk's data) or "Chunked request
    /// incomplete" (between chunks); its other refusals of a chunked body are of its framing.
    /// </summary>
    /// <param name="request">The request whose body it was (its protocol and framing).</param>
    /// <param name="exception">What reading the body threw; YARP reports it inside an <see cref="AggregateException"/>.</param>
    public static bool IsCutShort(HttpRequest request, Exception? exception) => exception switch
    {
        BadHttpRequestException bad => IsCutShort(request, bad),
        AggregateException aggregate => aggregate.InnerExceptions.Any(inner => IsCutShort(request, inner)),
        _ => false,
    };

    private static bool IsCutShort(HttpRequest request, BadHttpRequestException exception) =>
        exception.StatusCode == StatusCodes.Status400BadRequest
        && (HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol))
        && (request.Headers.ContainsKey(HeaderNames.TransferEncoding)
            ? exception.Message is UnexpectedEnd or ChunkedBodyIncomplete
            : request.ContentLength is not null);

    /// <summary>Kestrel's messages (not localized) for a body whose connection ended before it did.</summary>
    private const string UnexpectedEnd = "Unexpected end of request content.";

    private const string ChunkedBodyIncomplete = "Chunked request incomplete.";

    /// <param name="exception">What reading the body threw; YARP reports it inside an <see cref="AggregateException"/>.</param>
    /// <param name="maxBodyBytes">The limit Kestrel enforced, for the message.</param>
    /// <param name="failure">EntityTooLarge past the limit, RequestTooSlow for a body that came too slowly, InvalidArgument for a malformed body.</param>
    public static bool TryClassify(Exception? exception, long maxBodyBytes, out (Outcome Error, string Message) failure)
    {
        switch (exception)
        {
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                failure = TooLarge(maxBodyBytes);
                return true;

            // Slower than MinRequestBodyDataRate: answered as a head that came too slowly is, without Kestrel's words.
            case BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout }:
                failure = (Outcome.RequestTooSlow, "The request body did not arrive in time: it came too slowly.");
                return true;

            // Kestrel's chunked decoder reports a chunk size past int.MaxValue as an IOException around the
            // OverflowException of its checked arithmetic, not as a BadHttpRequestException.
            case BadHttpRequestException:
            case IOException { InnerException: OverflowException }:
                failure = (Outcome.InvalidArgument, $"The request body is malformed: {exception.Message}");
                return true;

            case SignedBodyMismatchException:
                failure = (Outcome.SignatureNotMatch, AcsSignatureV3.BodyMismatch);
                return true;

            case AggregateException aggregate:
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (TryClassify(inner, maxBodyBytes, out failure))
                    {
                        return true;
                    }
                }

                break;
        }

        failure = default;
        return false;
    }
}
