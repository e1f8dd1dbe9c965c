namespace FcGateway.Dispatch.Scheduling;

/// <summary>Ends a queued invocation's wait: the instance it waited for will not come (e.g. its initializer failed).</summary>
/// <param name="failure">How the invocation ends; an empty reason for the outcome's usual text.</param>
internal sealed class InstanceUnavailableException(InvocationResult failure) : Exception($"No instance: {failure.Outcome}.")
{
    public InvocationResult Failure { get; } = failure;
}
