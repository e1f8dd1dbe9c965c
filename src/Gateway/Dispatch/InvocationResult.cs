using FcGateway.Outcomes;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch;

/// <summary>How one invocation ended, with a reason for the log when it failed and the instance that ran it, if any.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Reason">Why it failed, for the log; also the invocation API's <c>errorMessage</c> unless <paramref name="ErrorMessage"/> is set.</param>
/// <param name="Destination">The instance that ran it.</param>
/// <param name="ErrorMessage">The invocation API's <c>errorMessage</c> where FC prescribes one and the reason says more than the caller is told.</param>
/// <param name="ErrorType">
/// The <c>errorType</c> a function error was given outside its body (Lambda's <c>Lambda-Runtime-Function-Error-Type</c>),
/// for the error document the invocation API writes when that body is empty.
/// </param>
/// <param name="ErrorContentType">The <c>Content-Type</c> the worker gave a function error's body, which the invocation API passes on with it.</param>
/// <param name="StartLog">
/// What a launched instance that failed before it became ready (<c>init/error</c>, an exit before its first poll, a missed
/// <c>InitializationTimeout</c>) wrote since its start, cut as a log tail is: the log tail of the invocations that waited
/// for it, which no instance ran.
/// </param>
internal readonly record struct InvocationResult(
    Outcome Outcome, string Reason, DestinationState? Destination = null, string? ErrorMessage = null, string? ErrorType = null,
    string? ErrorContentType = null, string? StartLog = null)
{
    public static readonly InvocationResult Success = new(Outcome.Success, "");
}
