using FcGateway.Dispatch.Scheduling;
using FcGateway.Outcomes;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Dispatch;

/// <summary>An instance that refused an invocation as full gets fewer invocations, for a while.</summary>
public sealed class FullInstanceCapTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FunctionInstanceQueue _queue;
    private readonly ClusterState _cluster = new("c");
    private readonly DestinationState _instance = new("d0", new DestinationModel(new DestinationConfig { Address = "http://127.0.0.1:9/" }));

    public FullInstanceCapTests()
    {
        _queue = new FunctionInstanceQueue(_time);
        _cluster.Destinations.TryAdd(_instance.DestinationId, _instance);
    }

    [Fact]
    public void FullInstance_GetsOneInvocationFewerThanItWasRunning()
    {
        var leases = Enumerable.Range(0, 3).Select(_ => Acquire(concurrency: 3).Lease!).ToList();

        _queue.ReportFull(_instance);
        leases[0].Dispose();

        Assert.Equal(Outcome.QueueFull, Acquire(concurrency: 3).Status);
        leases[1].Dispose();
        Assert.NotNull(Acquire(concurrency: 3).Lease);
    }

    [Fact]
    public void FullInstance_RunningOne_KeepsRoomForOne()
    {
        var lease = Acquire(concurrency: 4).Lease!;

        _queue.ReportFull(_instance);
        lease.Dispose();

        Assert.NotNull(Acquire(concurrency: 4).Lease);
        Assert.Equal(Outcome.QueueFull, Acquire(concurrency: 4).Status);
    }

    [Fact]
    public void ReleaseOnACappedInstance_GoesToAWaiterOnlyWhenTheInstanceHasRoom()
    {
        var first = Acquire(concurrency: 2).Lease!;
        var second = Acquire(concurrency: 2).Lease!;
        var waiter = _queue.TryAcquire(_cluster, [_instance], 2, maxQueueLength: 10, picker: null).Waiter!;

        _queue.ReportFull(_instance);
        first.Dispose();
        Assert.False(waiter.Granted.IsCompleted);

        second.Dispose();
        Assert.True(waiter.Granted.IsCompletedSuccessfully);
    }

    [Fact]
    public void Cap_IsForgottenAfterItsLifetime()
    {
        var leases = Enumerable.Range(0, 2).Select(_ => Acquire(concurrency: 2).Lease!).ToList();
        _queue.ReportFull(_instance);
        leases[0].Dispose();
        Assert.Equal(Outcome.QueueFull, Acquire(concurrency: 2).Status);

        _time.Advance(FunctionInstanceQueue.BusyCapLifetime);

        Assert.NotNull(Acquire(concurrency: 2).Lease);
    }

    [Fact]
    public void RepeatedRefusals_KeepTheLowestCap()
    {
        var leases = Enumerable.Range(0, 3).Select(_ => Acquire(concurrency: 3).Lease!).ToList();
        _queue.ReportFull(_instance);
        leases[0].Dispose();
        leases[1].Dispose();

        _queue.ReportFull(_instance);

        Assert.Equal(Outcome.QueueFull, Acquire(concurrency: 3).Status);
    }

    private (InstanceLease? Lease, Outcome Status) Acquire(int concurrency)
    {
        var (lease, _, status) = _queue.TryAcquire(_cluster, [_instance], concurrency, maxQueueLength: 0, picker: null);
        return (lease, status);
    }
}
