namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// A web function's response cannot be passed on: its status is not one HTTP has (100–599), its headers pass
/// <c>MaxResponseHeaderBytes</c>, or its body <c>MaxResponseBodyBytes</c>. Thrown to YARP's forwarder, which reports
/// it as a failed response (before the response starts: 502; after: the client connection is cut); the gateway counts
/// it as a bad response.
/// </summary>
internal sealed class BadWebResponseException(string message) : IOException(message)
{
    public static BadWebResponseException InvalidStatus(int status) =>
        new($"The web function answered with status {status}, which is not an HTTP status (100–599).");

    public static BadWebResponseException BodyTooLarge(long maxBytes) => new($"The web function's response body exceeds {maxBytes} bytes.");

    public static BadWebResponseException HeadersTooLarge(int maxBytes) => new($"The web function's response headers exceed {maxBytes} bytes.");
}
