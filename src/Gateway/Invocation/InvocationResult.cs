namespace FcGateway.Invocation;

/// <summary>The outcome of one invocation, with a reason for the log when it failed.</summary>
internal readonly record struct InvocationResult(InvocationStatus Status, string Reason)
{
    public static readonly InvocationResult Success = new(InvocationStatus.Succeeded, "");
}
