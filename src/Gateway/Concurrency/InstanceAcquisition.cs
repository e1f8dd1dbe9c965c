namespace FcGateway.Concurrency;

/// <summary>The result of waiting for an instance: a lease, or why there is none.</summary>
internal readonly record struct InstanceAcquisition(AcquireStatus Status, InstanceLease? Lease)
{
    public static InstanceAcquisition Failed(AcquireStatus status) => new(status, null);
}
