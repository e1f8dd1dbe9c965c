namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// A web function's response breaks a response limit: its headers pass <c>MaxResponseHeaderBytes</c>, or its body
/// <c>MaxResponseBodyBytes</c>. Thrown to YARP's forwarder, which reports it as a failed response (before the response
/// starts: 502; after: the client connection is cut); the gateway counts it as a bad response.
/// </summary>
internal sealed class BadWebResponseException(string message) : IOException(message)
{
    public static BadWebResponseException BodyTooLarge(long maxBytes) => new($"The web function's response body exceeds {maxBytes} bytes.");

    public static BadWebResponseException HeadersTooLarge(int maxBytes) => new($"The web function's response headers exceed {maxBytes} bytes.");
}
