using FcGateway.Diagnostics;
using FcGateway.Errors;

namespace FcGateway.Invocation;

/// <summary>What each way an invocation can end means for telemetry and, on failure, for an HTTP trigger's client.</summary>
internal static class InvocationOutcomes
{
    public static InvocationOutcome OutcomeOf(InvocationStatus status) => status switch
    {
        InvocationStatus.Succeeded => InvocationOutcome.Success,
        InvocationStatus.FunctionFailed => InvocationOutcome.FunctionError,
        InvocationStatus.TimedOut => InvocationOutcome.Timeout,
        InvocationStatus.WorkerCrashed => InvocationOutcome.WorkerCrashed,
        InvocationStatus.BadResponse => InvocationOutcome.BadResponse,
        InvocationStatus.InitializationFailed => InvocationOutcome.InitializationFailed,
        InvocationStatus.NoInstance => InvocationOutcome.NoInstance,
        InvocationStatus.Throttled => InvocationOutcome.Throttled,
        _ => InvocationOutcome.ClientClosed,
    };

    /// <summary>The gateway error answering a failed invocation: the function's own failures are all 502.</summary>
    public static GatewayError ErrorOf(InvocationStatus status) => status switch
    {
        InvocationStatus.NoInstance => GatewayError.ResourceThrottled,
        InvocationStatus.Throttled => GatewayError.ResourceExhausted,
        InvocationStatus.ClientClosed => GatewayError.ClientClosedRequest,
        _ => GatewayError.FunctionFailed,
    };

    /// <summary>True for failures of the function itself, as opposed to the gateway refusing or the client leaving.</summary>
    public static bool IsFunctionFailure(InvocationStatus status) =>
        status is InvocationStatus.FunctionFailed or InvocationStatus.TimedOut or InvocationStatus.WorkerCrashed
            or InvocationStatus.BadResponse or InvocationStatus.InitializationFailed;
}
