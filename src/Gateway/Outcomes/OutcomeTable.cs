using Yarp.ReverseProxy.Forwarder;

namespace FcGateway.Outcomes;

/// <summary>
/// The one table of outcomes (wire contract §4): status, FC error code and message, telemetry name, FC error type and
/// passive-health report of each <see cref="Outcome"/>. Keyed by the enum, and a test enumerates every value.
/// </summary>
internal static class OutcomeTable
{
    public const int ClientClosedRequestStatus = 499;

    /// <summary>The body of every function failure on an HTTP trigger; details go to the log only.</summary>
    public const string FunctionFailedBody = "Internal Server Error";

    /// <summary>The <see cref="OutcomeDescriptor.Name"/> of every refusal of the client's own request.</summary>
    public const string Rejected = "rejected";
    private const string Throttled = "throttled";

    private static readonly OutcomeDescriptor SuccessRow = new(200, "", "", "success", null, ForwarderError.None, LogLevel.Debug);
    private static readonly OutcomeDescriptor FunctionErrorRow = Failure("function_error", null, ForwarderError.None);
    private static readonly OutcomeDescriptor TimeoutRow = Failure("timeout", "FunctionTimeoutError", ForwarderError.RequestTimedOut);
    private static readonly OutcomeDescriptor WorkerCrashedRow = Failure("worker_crashed", "ProcessExitedError", ForwarderError.Request);
    private static readonly OutcomeDescriptor InstanceGoneRow = WorkerCrashedRow;
    private static readonly OutcomeDescriptor BadResponseRow = Failure("bad_response", "InvalidResponseError", ForwarderError.None);
    private static readonly OutcomeDescriptor InitializationFailedRow = Failure("initialization_failed", "InitializationError", ForwarderError.None);
    private static readonly OutcomeDescriptor ClientClosedRow =
        new(ClientClosedRequestStatus, "ClientClosedRequest", "The client closed the request.", "client_closed", null, ForwarderError.None, LogLevel.Information);
    private static readonly OutcomeDescriptor QueueFullRow =
        new(429, "ResourceExhausted", "The function's concurrency limit is reached.", Throttled, null, ForwarderError.None, LogLevel.Warning);
    private static readonly OutcomeDescriptor QueueTimeoutRow = QueueFullRow;
    private static readonly OutcomeDescriptor InstanceBusyRow = QueueFullRow;
    private static readonly OutcomeDescriptor NoInstanceRow =
        new(503, "ResourceThrottled", "No function instance is available.", "no_instance", null, ForwarderError.None, LogLevel.Warning);
    private static readonly OutcomeDescriptor InvalidArgumentRow = Rejection(400, "InvalidArgument", "The request is not valid.");
    private static readonly OutcomeDescriptor EntityTooLargeRow = Rejection(400, "EntityTooLarge", "The request body is too large.");
    private static readonly OutcomeDescriptor RequestTooSlowRow = Rejection(408, "InvalidArgument", "The request did not arrive in time.");
    private static readonly OutcomeDescriptor AccessDeniedRow = Rejection(403, "AccessDenied", "Access denied.");
    private static readonly OutcomeDescriptor UnauthenticatedRow = Rejection(401, "AccessDenied", "Authentication is required.");
    private static readonly OutcomeDescriptor SignatureNotMatchRow = Rejection(403, "SignatureNotMatch", "The request signature does not match.");
    private static readonly OutcomeDescriptor InvalidAccessKeyIdRow = Rejection(403, "InvalidAccessKeyID", "The AccessKey ID is not valid.");
    private static readonly OutcomeDescriptor MethodDeniedRow = Rejection(403, "AccessDenied", "The method is not allowed by this trigger.");
    private static readonly OutcomeDescriptor MethodNotAllowedRow = Rejection(405, "AccessDenied", "The method is not allowed here.");
    private static readonly OutcomeDescriptor FunctionNotFoundRow =
        new(404, "FunctionNotFound", "No function is bound to this path.", "not_found", null, ForwarderError.None, LogLevel.Debug);
    private static readonly OutcomeDescriptor InternalErrorRow =
        new(500, "InternalServerError", "An internal error occurred.", "internal_error", null, ForwarderError.None, LogLevel.Error);

    public static OutcomeDescriptor Of(Outcome outcome) => outcome switch
    {
        Outcome.Success => SuccessRow,
        Outcome.FunctionError => FunctionErrorRow,
        Outcome.Timeout => TimeoutRow,
        Outcome.WorkerCrashed => WorkerCrashedRow,
        Outcome.InstanceGone => InstanceGoneRow,
        Outcome.BadResponse => BadResponseRow,
        Outcome.InitializationFailed => InitializationFailedRow,
        Outcome.ClientClosed => ClientClosedRow,
        Outcome.QueueFull => QueueFullRow,
        Outcome.QueueTimeout => QueueTimeoutRow,
        Outcome.InstanceBusy => InstanceBusyRow,
        Outcome.NoInstance => NoInstanceRow,
        Outcome.InvalidArgument => InvalidArgumentRow,
        Outcome.EntityTooLarge => EntityTooLargeRow,
        Outcome.RequestTooSlow => RequestTooSlowRow,
        Outcome.AccessDenied => AccessDeniedRow,
        Outcome.Unauthenticated => UnauthenticatedRow,
        Outcome.SignatureNotMatch => SignatureNotMatchRow,
        Outcome.InvalidAccessKeyId => InvalidAccessKeyIdRow,
        Outcome.MethodDenied => MethodDeniedRow,
        Outcome.MethodNotAllowed => MethodNotAllowedRow,
        Outcome.FunctionNotFound => FunctionNotFoundRow,
        Outcome.InternalError => InternalErrorRow,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Every outcome needs a row in the outcome table."),
    };

    private static OutcomeDescriptor Failure(string name, string? errorType, ForwarderError passiveHealthError) =>
        new(502, "", FunctionFailedBody, name, errorType, passiveHealthError, LogLevel.Warning);

    /// <summary>A refusal of the client's own request: logged at Debug, since any client can cause one at will.</summary>
    private static OutcomeDescriptor Rejection(int status, string errorCode, string message) =>
        new(status, errorCode, message, Rejected, null, ForwarderError.None, LogLevel.Debug);
}
