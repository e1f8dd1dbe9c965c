using FcGateway.Dispatch.Push;

namespace Gateway.Tests.Invocation;

public sealed class DeadlinePoolTests
{
    private static readonly TimeSpan LongTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void ReturnedSourceThatWasNotCancelled_IsHandedOutAgain_Uncancelled()
    {
        var pool = new DeadlinePool(TimeProvider.System);
        var first = pool.Rent(LongTimeout);

        pool.Return(first);
        var second = pool.Rent(LongTimeout);

        Assert.Same(first, second);
        Assert.False(second.IsCancellationRequested);
        second.Cancel();
        Assert.True(second.Token.IsCancellationRequested);
    }

    [Fact]
    public void CancelledSource_TimedOutOrClientGone_IsNotReused()
    {
        var pool = new DeadlinePool(TimeProvider.System);
        var cancelled = pool.Rent(LongTimeout);
        cancelled.Cancel();

        pool.Return(cancelled);
        var next = pool.Rent(LongTimeout);

        Assert.NotSame(cancelled, next);
        Assert.False(next.IsCancellationRequested);
    }

    [Fact]
    public async Task RentedSource_CancelsAfterItsTimeout_EvenWhenReused()
    {
        var pool = new DeadlinePool(TimeProvider.System);
        pool.Return(pool.Rent(LongTimeout));

        var reused = pool.Rent(TimeSpan.FromMilliseconds(1));
        var fired = new TaskCompletionSource();
        using var registration = reused.Token.Register(fired.SetResult);

        await fired.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(reused.IsCancellationRequested);
    }
}
