using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>The result of waiting for an instance: a lease (<see cref="Outcome.Success"/>), or why there is none.</summary>
/// <param name="Status">Success, or why there is no lease.</param>
/// <param name="Lease">The instance's slot, on success.</param>
/// <param name="Failure">What the instance that did not come reported about itself, if anything (its reason empty otherwise).</param>
internal readonly record struct InstanceAcquisition(Outcome Status, InstanceLease? Lease, InvocationResult? Failure = null)
{
    public static InstanceAcquisition Failed(Outcome status) => new(status, null);

    public static InstanceAcquisition Failed(InvocationResult failure) => new(failure.Outcome, null, failure);
}
