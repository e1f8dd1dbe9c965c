namespace FcGateway.Invocation;

/// <summary>How an invocation on a worker ended.</summary>
internal enum InvocationStatus
{
    Succeeded,

    /// <summary>The worker reported a function error (HTTP 404, <c>x-fc-status: 404</c>, or another non-2xx status).</summary>
    FunctionFailed,

    /// <summary>The function timeout ran out before the worker answered.</summary>
    TimedOut,

    /// <summary>The worker could not be reached, or closed or reset the connection before replying.</summary>
    WorkerCrashed,

    /// <summary>The reply cannot become a valid HTTP response (wire contract §5).</summary>
    BadResponse,

    /// <summary>The instance's <c>/initialize</c> call failed.</summary>
    InitializationFailed,

    /// <summary>The client went away before the invocation completed.</summary>
    ClientClosed,

    /// <summary>No instance is available: none configured, or none healthy.</summary>
    NoInstance,

    /// <summary>Every instance was busy and the queue full, or the wait passed the queue timeout.</summary>
    Throttled,
}
