using FcGateway.Outcomes;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch;

/// <summary>How one invocation ended, with a reason for the log when it failed and the instance that ran it, if any.</summary>
internal readonly record struct InvocationResult(Outcome Outcome, string Reason, DestinationState? Destination = null)
{
    public static readonly InvocationResult Success = new(Outcome.Success, "");
}
