using System.Net.Sockets;

namespace FcGateway.Dispatch;

/// <summary>
/// Names, in a few words, why a call to a worker failed below HTTP, from what <see cref="HttpClient"/> threw: whether the
/// worker could not be reached at all (not running, wrong address) or went away during the call (it crashed).
/// </summary>
internal static class WorkerConnectionFailure
{
    /// <summary>
    /// Whether the worker answered with a reply HttpClient cannot read (a status that is not three digits, a header
    /// name with a space, a head over its limit, a chunked body whose framing is broken): a bad response, not a crash. Not over cleartext HTTP/2, where an
    /// HTTP/1.1-only worker's answer to the preface reads so too, and the account of <see cref="Describe"/> names the
    /// cluster's protocol instead.
    /// </summary>
    /// <param name="exception">What the call threw.</param>
    /// <param name="request">The call, when the caller has it (YARP keeps a web request's to itself).</param>
    public static bool IsMalformedReply(Exception? exception, HttpRequestMessage? request) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.InvalidResponse or HttpRequestError.ConfigurationLimitExceeded }
            or HttpIOException { HttpRequestError: HttpRequestError.InvalidResponse }
        && !AsksForCleartextHttp2(request);

    private static bool AsksForCleartextHttp2(HttpRequestMessage? request) =>
        request is { Version.Major: 2, VersionPolicy: HttpVersionPolicy.RequestVersionExact, RequestUri.Scheme: "http" };

    /// <summary>A log line's account of the failure, naming the worker's <paramref name="address"/> and the cause.</summary>
    /// <param name="exception">What the call threw.</param>
    /// <param name="address">The worker's address.</param>
    /// <param name="request">The call that failed, when it was made: one asking for HTTP/2 without TLS that failed once
    /// connected most likely reached a worker speaking HTTP/1.1 only, and the account says so.</param>
    public static string Describe(Exception exception, string address, HttpRequestMessage? request = null)
    {
        var cause = Cause(exception);
        if (IsConnectFailure(exception))
        {
            return $"Could not connect to the worker at {address} ({cause}).";
        }

        // A worker speaking HTTP/1.1 only answers HTTP/2's preface with an HTTP/1.1 error, which reads as a protocol
        // error, or closes the connection first: either way the cluster's protocol is the likely cause.
        var asksForCleartextHttp2 = AsksForCleartextHttp2(request);
        if (IsConnectionLost(exception))
        {
            return asksForCleartextHttp2
                ? $"The worker at {address} closed the connection before completing its reply ({cause}); it may have crashed, or it speaks no HTTP/2 without TLS, which the cluster's HttpRequest asks for."
                : $"The worker at {address} closed the connection before completing its reply ({cause}); it may have crashed.";
        }

        if (asksForCleartextHttp2 && IsHttp2ConnectionNotEstablished(exception))
        {
            return $"The call to the worker at {address} failed (HTTP/2 connection not established: the cluster's HttpRequest asks for HTTP/2 without TLS, which the worker does not seem to speak).";
        }

        // Whatever else broke an HTTP/2 exchange without TLS once connected (a protocol error, a reply that is no HTTP/2,
        // a broken pipe while the preface went out), the likely cause is the same.
        return asksForCleartextHttp2
            ? $"The call to the worker at {address} failed ({cause}: the cluster's HttpRequest asks for HTTP/2 without TLS, which the worker does not seem to speak)."
            : $"The call to the worker at {address} failed ({cause}).";
    }

    /// <summary>
    /// HttpClient's failure when a new HTTP/2 connection ended before it could carry the call — a worker on an HTTP/1.1-only
    /// Kestrel endpoint answers the preface with GOAWAY <c>HTTP_1_1_REQUIRED</c>, which sometimes arrives that early: an
    /// <see cref="HttpRequestException"/> with no category and no inner exception, where a later GOAWAY is a protocol error.
    /// </summary>
    private static bool IsHttp2ConnectionNotEstablished(Exception exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.Unknown, InnerException: null };

    /// <summary>The cause as an operator would say it: <c>connection refused</c>, <c>connection reset</c>…</summary>
    public static string Cause(Exception exception)
    {
        if (Find<SocketException>(exception) is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostUnreachable => "host unreachable",
                SocketError.NetworkUnreachable or SocketError.NetworkDown => "network unreachable",
                SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host name not found",
                SocketError.TimedOut => "connection timed out",
                SocketError.ConnectionReset => "connection reset",
                SocketError.ConnectionAborted or SocketError.Shutdown => "connection aborted",
                _ => socket.Message,
            };
        }

        return HttpError(exception) switch
        {
            HttpRequestError.NameResolutionError => "host name not found",
            HttpRequestError.ResponseEnded => "connection closed",
            HttpRequestError.InvalidResponse => "not a valid HTTP response",
            HttpRequestError.HttpProtocolError => "HTTP protocol error",
            HttpRequestError.SecureConnectionError => "TLS handshake failed",
            HttpRequestError.VersionNegotiationError => "HTTP version not supported",
            _ => exception.Message,
        };
    }

    /// <summary>
    /// No connection was made: nothing listens at the address, or its host cannot be reached. Nothing was sent on it, but
    /// HttpClient may have sent the request before, on a connection that then ended without an answer, and be failing to
    /// send it again (the web trigger's <c>RefusedWebRequest</c>); a request with a body it sends whole is not sent again so.
    /// </summary>
    public static bool IsConnectFailure(Exception exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };

    private static bool IsConnectionLost(Exception exception) =>
        Find<SocketException>(exception) is { SocketErrorCode: SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown }
        || HttpError(exception) == HttpRequestError.ResponseEnded;

    private static HttpRequestError HttpError(Exception exception) =>
        Find<HttpIOException>(exception)?.HttpRequestError ?? Find<HttpRequestException>(exception)?.HttpRequestError ?? HttpRequestError.Unknown;

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}
