using FcGateway.Dispatch.Scheduling;
using Microsoft.Extensions.Time.Testing;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Dispatch;

/// <summary>Asynchronous attempts wait for an instance behind every invocation a client waits for.</summary>
public sealed class BackgroundLineTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FunctionInstanceQueue _queue;
    private readonly ClusterState _cluster = new("c");
    private readonly DestinationState _instance = new("d0", new DestinationModel(new DestinationConfig { Address = "http://127.0.0.1:9/" }));

    public BackgroundLineTests()
    {
        _queue = new FunctionInstanceQueue(_time);
        _cluster.Destinations.TryAdd(_instance.DestinationId, _instance);
    }

    /// <remarks>Before, the request's arrival granted the room to the attempt waiting, and the request queued behind it.</remarks>
    [Fact]
    public void RoomThatAppearsWithoutARelease_GoesToARequest_BeforeAnAttemptWaitingInTheBackground()
    {
        var leases = Enumerable.Range(0, 2).Select(_ => _queue.TryAcquire(_cluster, [_instance], 2, maxQueueLength: 0, picker: null).Lease!).ToList();
        _queue.ReportFull(_instance);
        leases[0].Dispose();
        var attempt = _queue.TryAcquire(_cluster, [_instance], 2, maxQueueLength: 0, picker: null, inBackground: true).Waiter!;
        _time.Advance(FunctionInstanceQueue.BusyCapLifetime);

        var (lease, waiter, _) = _queue.TryAcquire(_cluster, [_instance], 2, maxQueueLength: 10, picker: null);

        Assert.NotNull(lease);
        Assert.Null(waiter);
        Assert.False(attempt.Granted.IsCompleted);
        Assert.Equal(1, _queue.Queued);
    }

    [Fact]
    public void AnAttempt_TakesRoomThatAppearsWithoutARelease_BeforeALaterAttempt()
    {
        var leases = Enumerable.Range(0, 2).Select(_ => _queue.TryAcquire(_cluster, [_instance], 2, maxQueueLength: 0, picker: null).Lease!).ToList();
        _queue.ReportFull(_instance);
        leases[0].Dispose();
        var attempt = _queue.TryAcquire(_cluster, [_instance], 2, maxQueueLength: 0, picker: null, inBackground: true).Waiter!;
        _time.Advance(FunctionInstanceQueue.BusyCapLifetime);

        var (lease, waiter, _) = _queue.TryAcquire(_cluster, [_instance], 2, maxQueueLength: 0, picker: null, inBackground: true);

        Assert.Null(lease);
        Assert.NotNull(waiter);
        Assert.True(attempt.Granted.IsCompletedSuccessfully);
    }
}
