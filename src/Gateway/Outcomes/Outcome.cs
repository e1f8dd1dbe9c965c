namespace FcGateway.Outcomes;

/// <summary>
/// How a request through the gateway ended: the one vocabulary shared by dispatch (how an invocation ended), the edge
/// (what the client is answered) and telemetry (span status, metric tags, the access log). What each outcome means on
/// the wire and in telemetry is in <see cref="OutcomeTable"/>.
/// </summary>
internal enum Outcome
{
    /// <summary>The function answered and its output became the response.</summary>
    Success,

    /// <summary>The function reported an error (the worker answered 404 / <c>x-fc-status: 404</c> / another non-2xx).</summary>
    FunctionError,

    /// <summary>The function timeout ran out before the worker answered.</summary>
    Timeout,

    /// <summary>The worker was unreachable, or closed or reset the connection before replying.</summary>
    WorkerCrashed,

    /// <summary>
    /// The invocation never reached its instance: the launched instance it was posted to exited before any poll took it,
    /// or a pushed worker's address refused the connection. It never ran, and goes to another instance (a 502 like
    /// <see cref="WorkerCrashed"/> when none takes it).
    /// </summary>
    InstanceGone,

    /// <summary>The reply cannot become a valid HTTP response (wire contract §5).</summary>
    BadResponse,

    /// <summary>The instance's initializer failed.</summary>
    InitializationFailed,

    /// <summary>The client went away before the answer (499; nobody receives it).</summary>
    ClientClosed,

    /// <summary>Every instance was busy and the function's wait queue full (429).</summary>
    QueueFull,

    /// <summary>Every instance stayed busy for the whole queue timeout (429).</summary>
    QueueTimeout,

    /// <summary>The worker refused the invocation as full (it answered 429) each time it was offered (429).</summary>
    InstanceBusy,

    /// <summary>No available (healthy) instance (503).</summary>
    NoInstance,

    /// <summary>A malformed request or one over a limit other than the body's (400).</summary>
    InvalidArgument,

    /// <summary>The request body is over the limit (400).</summary>
    EntityTooLarge,

    /// <summary>The request head or body arrived too slowly for the HTTP server's timeouts (408, errorCode InvalidArgument).</summary>
    RequestTooSlow,

    /// <summary>The caller may not use this endpoint at all (403).</summary>
    AccessDenied,

    /// <summary>Credentials are required and missing or invalid (401).</summary>
    Unauthenticated,

    /// <summary>A signed request whose signature is malformed, expired or not the one its key's secret gives (403).</summary>
    SignatureNotMatch,

    /// <summary>A signed request whose AccessKey ID the gateway does not know (403).</summary>
    InvalidAccessKeyId,

    /// <summary>
    /// The trigger does not allow the request's method (403 AccessDenied, as the wire contract's error catalogue has
    /// it, with an <c>Allow</c> header naming the methods it does).
    /// </summary>
    MethodDenied,

    /// <summary>An API's path called with a method the API does not take (405).</summary>
    MethodNotAllowed,

    /// <summary>No route, or no such function (404).</summary>
    FunctionNotFound,

    /// <summary>An unexpected gateway fault (500, never with details).</summary>
    InternalError,
}
