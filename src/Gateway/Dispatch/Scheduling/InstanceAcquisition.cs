using FcGateway.Outcomes;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>The result of waiting for an instance: a lease (<see cref="Outcome.Success"/>), or why there is none.</summary>
internal readonly record struct InstanceAcquisition(Outcome Status, InstanceLease? Lease)
{
    public static InstanceAcquisition Failed(Outcome status) => new(status, null);
}
