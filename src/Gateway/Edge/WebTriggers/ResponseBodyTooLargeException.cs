namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// A web function's response body passes <c>MaxResponseBodyBytes</c>. Thrown to YARP's forwarder, which reports it
/// as a failed response (before the response starts: 502; after: the client connection is cut).
/// </summary>
internal sealed class ResponseBodyTooLargeException(long maxBytes)
    : IOException($"The web function's response body exceeds {maxBytes} bytes.");
