using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>Ends a queued invocation's wait: the instance it waited for will not come (e.g. its initializer failed).</summary>
/// <param name="outcome">How the invocation ends.</param>
/// <param name="reason">What the instance reported, when it said why (e.g. its init error); null for the outcome's usual text.</param>
internal sealed class InstanceUnavailableException(Outcome outcome, string? reason) : Exception($"No instance: {outcome}.")
{
    public Outcome Outcome { get; } = outcome;

    public string? Reason { get; } = reason;
}
