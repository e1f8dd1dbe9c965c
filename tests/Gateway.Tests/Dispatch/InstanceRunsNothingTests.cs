using FcGateway.Dispatch.Scheduling;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Dispatch;

/// <summary><see cref="FunctionInstanceQueue.WhenRunsNothing"/>: what a retired instance's pre-stop waits for.</summary>
public sealed class InstanceRunsNothingTests
{
    private readonly FunctionInstanceQueue _queue = new(new FakeTimeProvider());
    private readonly ClusterState _cluster = new("c");
    private readonly DestinationState _instance = new("d0", new DestinationModel(new DestinationConfig { Address = "http://127.0.0.1:9/" }));

    [Fact]
    public void AnInstanceRunningNothing_RunsNothingAtOnce()
    {
        Assert.True(_queue.WhenRunsNothing(_instance).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task AnInstanceRunningInvocations_RunsNothingOnceTheLastIsReleased()
    {
        var first = _queue.TryAcquire(_cluster, [_instance], 2, maxQueueLength: 10, picker: null).Lease!;
        var second = _queue.TryAcquire(_cluster, [_instance], 2, maxQueueLength: 10, picker: null).Lease!;

        var runsNothing = _queue.WhenRunsNothing(_instance);
        var askedAgain = _queue.WhenRunsNothing(_instance);
        first.Dispose();
        var afterTheFirst = runsNothing.IsCompleted;
        second.Dispose();

        Assert.False(afterTheFirst);
        await runsNothing.WaitAsync(TimeSpan.FromSeconds(10));
        await askedAgain.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ASlotHandedToAWaiter_KeepsTheInstanceRunning()
    {
        var running = _queue.TryAcquire(_cluster, [_instance], 1, maxQueueLength: 10, picker: null).Lease!;
        var waiter = _queue.TryAcquire(_cluster, [_instance], 1, maxQueueLength: 10, picker: null).Waiter!;

        var runsNothing = _queue.WhenRunsNothing(_instance);
        running.Dispose();
        var granted = await waiter.Granted.WaitAsync(TimeSpan.FromSeconds(10));
        var whileTheWaiterRuns = runsNothing.IsCompleted;
        _queue.LeaseFor(granted).Dispose();

        Assert.False(whileTheWaiterRuns);
        await runsNothing.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
