namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// Whether a web request whose worker refused the connection (<see cref="Dispatch.WorkerConnectionFailure.IsConnectFailure"/>)
/// may go to another instance. A refused connection does not always mean that nothing was sent: when the connection a
/// request went out on ends before any answer, and the request has no content (YARP forwards one without a body or a
/// Content-Length so) or waits on <c>Expect: 100-continue</c>, .NET's HttpClient sends it again itself, on a new
/// connection (.NET 10 <c>HttpConnection.SendAsync</c> sets <c>_canRetry</c> at that end of the response, and
/// <c>HttpConnectionPool.SendWithVersionDetectionAndRetryAsync</c> retries on <c>RetryOnConnectionFailure</c>), and that
/// connection refused is all the gateway sees (<c>ConnectHelper.CreateWrappedException</c>: <c>ConnectionError</c>): the
/// worker may have taken the request, then crashed. A request with content (none of its body read yet, which the caller
/// checks) that does not wait to continue was never sent; one with an idempotent method may be sent again whether it was
/// or not (RFC 9110 §9.2.2). Any other is not repeated.
/// </summary>
internal static class RefusedWebRequest
{
    /// <param name="request">The client's request.</param>
    /// <param name="forwardsABody">Whether the request is forwarded with a body.</param>
    public static bool MayGoToAnotherInstance(HttpRequest request, bool forwardsABody) =>
        ((forwardsABody || request.ContentLength is not null) && !WaitsToContinue(request)) || IsIdempotent(request.Method);

    /// <summary>The client's <c>Expect: 100-continue</c>, or the one the gateway adds to a large body (<see cref="WebTriggerTransforms.AsksFirst"/>).</summary>
    private static bool WaitsToContinue(HttpRequest request) =>
        WebTriggerTransforms.AsksFirst(request)
        || request.Headers.Expect.Any(value => value is not null && value.Contains("100-continue", StringComparison.OrdinalIgnoreCase));

    private static bool IsIdempotent(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method)
        || HttpMethods.IsTrace(method) || HttpMethods.IsPut(method) || HttpMethods.IsDelete(method);
}
