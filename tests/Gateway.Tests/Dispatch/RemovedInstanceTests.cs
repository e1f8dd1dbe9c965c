using FcGateway.Dispatch.Scheduling;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Dispatch;

/// <summary>An instance taken out of service gives the slots its invocations free to no waiter, until it is restored.</summary>
public sealed class RemovedInstanceTests
{
    private readonly FunctionInstanceQueue _queue = new(new FakeTimeProvider());
    private readonly ClusterState _cluster = new("c");
    private readonly DestinationState _instance = new("d0", new DestinationModel(new DestinationConfig { Address = "http://127.0.0.1:9/" }));

    [Fact]
    public void ReleaseOnARemovedInstance_LeavesTheWaitersWaiting()
    {
        var lease = _queue.TryAcquire(_cluster, [_instance], 1, maxQueueLength: 10, picker: null, anyInstance: _ => true).Lease!;
        var waiters = Enumerable.Range(0, 2).Select(_ => _queue.TryAcquire(_cluster, [_instance], 1, maxQueueLength: 10, picker: null, anyInstance: instance => true).Waiter!).ToList();

        _queue.InstanceRemoved(_instance);
        lease.Dispose();

        Assert.All(waiters, waiter => Assert.False(waiter.Granted.IsCompleted));
        Assert.Equal(2, _queue.Queued);
        Assert.Equal(0, _queue.Running);
    }

    [Fact]
    public void ARemovedInstanceStillRunning_IsNotOfferedFromAListReadBefore()
    {
        var first = _queue.TryAcquire(_cluster, [_instance], 2, maxQueueLength: 10, picker: null).Lease!;

        _queue.InstanceRemoved(_instance);
        var (lease, waiter, _) = _queue.TryAcquire(_cluster, [_instance], 2, maxQueueLength: 10, picker: null, anyInstance: _ => true);

        Assert.Null(lease);
        Assert.NotNull(waiter);
        first.Dispose();
        Assert.False(waiter.Granted.IsCompleted);
    }

    [Fact]
    public async Task ReleaseOnARemovedInstanceRestoredSince_GoesToTheFirstWaiter()
    {
        var lease = _queue.TryAcquire(_cluster, [_instance], 1, maxQueueLength: 10, picker: null, anyInstance: _ => true).Lease!;
        var waiter = _queue.TryAcquire(_cluster, [_instance], 1, maxQueueLength: 10, picker: null, anyInstance: _ => true).Waiter!;

        _queue.InstanceRemoved(_instance);
        _queue.InstanceRestored(_instance);
        lease.Dispose();

        Assert.True(waiter.Granted.IsCompleted);
        Assert.Same(_instance, await waiter.Granted);
        Assert.Equal(0, _queue.Queued);
        Assert.Equal(1, _queue.Running);
    }
}
