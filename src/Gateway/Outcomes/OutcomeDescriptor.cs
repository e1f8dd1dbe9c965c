using Yarp.ReverseProxy.Forwarder;

namespace FcGateway.Outcomes;

/// <summary>What one <see cref="Outcome"/> means on the wire, in telemetry and to YARP's passive health checks.</summary>
/// <param name="StatusCode">The HTTP status the client is answered with (499: nobody receives it).</param>
/// <param name="ErrorCode">FC's <c>errorCode</c> of the error body; empty for success and for function failures, whose body is <c>Internal Server Error</c>.</param>
/// <param name="DefaultMessage">The <c>errorMessage</c> when the step that ended the request gives none.</param>
/// <param name="Name">The low-cardinality name used as <c>error.type</c>, <c>fcgateway.outcome</c> and in the access log.</param>
/// <param name="ErrorType">For a function failure the worker could not describe itself, FC's <c>errorType</c> of the invocation API's error body.</param>
/// <param name="PassiveHealthError">The failure reported to YARP's passive health checks, or <see cref="ForwarderError.None"/>.</param>
/// <param name="LogLevel">The level of the line that logs this outcome with its reason.</param>
internal sealed record OutcomeDescriptor(
    int StatusCode, string ErrorCode, string DefaultMessage, string Name, string? ErrorType, ForwarderError PassiveHealthError, LogLevel LogLevel)
{
    /// <summary>True for failures of the function itself: 502 through a trigger, 200 with the error body through the invocation API.</summary>
    public bool IsFunctionFailure => StatusCode == StatusCodes.Status502BadGateway;

    /// <summary>
    /// True for the refusals of an invocation for want of an instance with room: 429 ResourceExhausted (a full queue, a
    /// wait past the queue timeout, a worker that kept refusing it as full) and 503 ResourceThrottled (no instance).
    /// </summary>
    public bool IsThrottle => StatusCode is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable;

    /// <summary>True for refusals of the client's own request: malformed, over a limit, too slow, not allowed.</summary>
    public bool IsRejection => Name == OutcomeTable.Rejected;
}
