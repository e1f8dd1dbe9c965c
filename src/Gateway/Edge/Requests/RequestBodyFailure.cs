using FcGateway.Outcomes;

namespace FcGateway.Edge.Requests;

/// <summary>
/// The request-body failures a client is to blame for, as Kestrel reports them while the body is read — by the
/// gateway in event mode and on the invocation API, by YARP's forwarder in web mode (where a chunked HTTP/1.x body over
/// the limit fails the same way, from <see cref="ChunkedRequestBodies.LimitedBody"/>) — and the error each is
/// answered with. Anything else (a gateway fault, a connection the client reset) is not the body's fault and is
/// left to the caller.
/// </summary>
internal static class RequestBodyFailure
{
    public static (Outcome Error, string Message) TooLarge(long maxBodyBytes) =>
        (Outcome.EntityTooLarge, $"The request body exceeds {maxBodyBytes} bytes.");

    /// <param name="exception">What reading the body threw; YARP reports it inside an <see cref="AggregateException"/>.</param>
    /// <param name="maxBodyBytes">The limit Kestrel enforced, for the message.</param>
    /// <param name="failure">EntityTooLarge past the limit, InvalidArgument for a malformed body.</param>
    public static bool TryClassify(Exception? exception, long maxBodyBytes, out (Outcome Error, string Message) failure)
    {
        switch (exception)
        {
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                failure = TooLarge(maxBodyBytes);
                return true;

            // Kestrel's chunked decoder reports a chunk size past int.MaxValue as an IOException around the
            // OverflowException of its checked arithmetic, not as a BadHttpRequestException.
            case BadHttpRequestException:
            case IOException { InnerException: OverflowException }:
                failure = (Outcome.InvalidArgument, $"The request body is malformed: {exception.Message}");
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
