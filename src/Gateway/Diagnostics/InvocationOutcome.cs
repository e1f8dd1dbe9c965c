namespace FcGateway.Diagnostics;

/// <summary>How a request through the gateway ended, for spans (<c>error.type</c>), metrics and the access log.</summary>
internal enum InvocationOutcome
{
    Success,

    /// <summary>The function reported an error (the worker answered 404 / <c>x-fc-status: 404</c> / another non-2xx).</summary>
    FunctionError,

    /// <summary>The function timeout ran out.</summary>
    Timeout,

    /// <summary>The worker was unreachable, or closed or reset the connection before replying.</summary>
    WorkerCrashed,

    /// <summary>The worker's reply could not become a response (bad statusCode, headers or output over the limits).</summary>
    BadResponse,

    /// <summary>The worker instance's initializer failed.</summary>
    InitializationFailed,

    /// <summary>The client went away (499).</summary>
    ClientClosed,

    /// <summary>Refused with 429: the function's instances were busy and its queue full, or the wait timed out.</summary>
    Throttled,

    /// <summary>Refused with 503: no healthy instance.</summary>
    NoInstance,

    /// <summary>Refused by the gateway with 4xx before any invocation (limits, malformed request, authentication).</summary>
    Rejected,

    /// <summary>No function matched (404).</summary>
    NotFound,

    /// <summary>An unexpected gateway fault (500).</summary>
    InternalError,
}
