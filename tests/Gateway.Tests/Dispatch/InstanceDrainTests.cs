using FcGateway.Dispatch.Scheduling;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Dispatch;

/// <summary>
/// What a retired instance's pre-stop waits for: <see cref="FunctionInstanceQueue.WhenRunsNothing"/> for a destination a
/// reload removed, <see cref="FunctionInstanceQueue.WhenRunningNowEnded"/> for one it moved to another address (the
/// invocations it ran when the reload retired the old address, not those it is given later at the new one).
/// </summary>
public sealed class InstanceDrainTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly FunctionInstanceQueue _queue = new(new FakeTimeProvider());
    private readonly ClusterState _cluster = new("c");
    private readonly DestinationState _instance = new("d0", new DestinationModel(new DestinationConfig { Address = "http://127.0.0.1:9/" }));

    [Fact]
    public void AnInstanceRunningNothing_HasNothingToWaitFor()
    {
        Assert.True(_queue.WhenRunningNowEnded(_instance).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task TheWait_EndsOnceEveryInvocationRunningWhenItBegan_HasEnded()
    {
        var first = Take(concurrency: 2);
        var second = Take(concurrency: 2);

        var drained = _queue.WhenRunningNowEnded(_instance);
        var askedAgain = _queue.WhenRunningNowEnded(_instance);
        first.Dispose();
        var afterTheFirst = drained.IsCompleted || askedAgain.IsCompleted;
        second.Dispose();

        Assert.False(afterTheFirst);
        await drained.WaitAsync(Bound);
        await askedAgain.WaitAsync(Bound);
    }

    [Fact]
    public async Task AnInvocationGivenTheInstanceAfterTheWaitBegan_IsNotWaitedFor()
    {
        var before = Take(concurrency: 2);
        var drained = _queue.WhenRunningNowEnded(_instance);
        using var after = Take(concurrency: 2);

        before.Dispose();

        await drained.WaitAsync(Bound);
        Assert.Equal(1, _queue.RunningOnInstance(_instance));
    }

    [Fact]
    public async Task ASlotHandedToAWaiterAfterTheWaitBegan_IsNotWaitedFor()
    {
        var running = Take(concurrency: 1);
        var waiter = _queue.TryAcquire(_cluster, [_instance], 1, maxQueueLength: 10, picker: null).Waiter!;

        var drained = _queue.WhenRunningNowEnded(_instance);
        running.Dispose();
        await waiter.Granted.WaitAsync(Bound);
        using var handedOver = _queue.LeaseFor(waiter);

        await drained.WaitAsync(Bound);
        Assert.Equal(1, _queue.RunningOnInstance(_instance));
    }

    [Fact]
    public async Task ASlotHandedToAWaiterBeforeTheWaitBegan_IsWaitedFor()
    {
        var running = Take(concurrency: 1);
        var waiter = _queue.TryAcquire(_cluster, [_instance], 1, maxQueueLength: 10, picker: null).Waiter!;
        running.Dispose();
        await waiter.Granted.WaitAsync(Bound);

        var drained = _queue.WhenRunningNowEnded(_instance);
        var handedOver = _queue.LeaseFor(waiter);
        var whileTheWaiterRuns = drained.IsCompleted;
        handedOver.Dispose();

        Assert.False(whileTheWaiterRuns);
        await drained.WaitAsync(Bound);
    }

    [Fact]
    public async Task ARemovedInstance_RunsNothingOnceTheLastIsReleased()
    {
        var first = Take(concurrency: 2);
        var second = Take(concurrency: 2);

        var runsNothing = _queue.WhenRunsNothing(_instance);
        var askedAgain = _queue.WhenRunsNothing(_instance);
        first.Dispose();
        var afterTheFirst = runsNothing.IsCompleted;
        second.Dispose();

        Assert.False(afterTheFirst);
        await runsNothing.WaitAsync(Bound);
        await askedAgain.WaitAsync(Bound);
        Assert.True(_queue.WhenRunsNothing(_instance).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ASlotHandedToAWaiter_KeepsARemovedInstanceRunning()
    {
        var running = Take(concurrency: 1);
        var waiter = _queue.TryAcquire(_cluster, [_instance], 1, maxQueueLength: 10, picker: null).Waiter!;

        var runsNothing = _queue.WhenRunsNothing(_instance);
        running.Dispose();
        await waiter.Granted.WaitAsync(Bound);
        var whileTheWaiterRuns = runsNothing.IsCompleted;
        _queue.LeaseFor(waiter).Dispose();

        Assert.False(whileTheWaiterRuns);
        await runsNothing.WaitAsync(Bound);
    }

    private InstanceLease Take(int concurrency) => _queue.TryAcquire(_cluster, [_instance], concurrency, maxQueueLength: 10, picker: null).Lease!;
}
