using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>Ends a queued invocation's wait: the instance it waited for will not come (e.g. its initializer failed).</summary>
internal sealed class InstanceUnavailableException(Outcome outcome) : Exception($"No instance: {outcome}.")
{
    public Outcome Outcome { get; } = outcome;
}
