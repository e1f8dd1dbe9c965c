using Microsoft.Extensions.Time.Testing;

namespace FcWorker.Tests.TestHelpers;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when a timer is set: a test waits until the worker waits on the clock
/// (a poll loop's backoff), and then knows what the timer holds back has not happened, since only the test moves the clock.
/// </summary>
public sealed class WatchedTimeProvider : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private TaskCompletionSource<TimeSpan> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes, with its due time, when the next timer is set from now on.</summary>
    public Task<TimeSpan> NextTimerSet()
    {
        lock (_lock)
        {
            return _next.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        TaskCompletionSource<TimeSpan> set;
        lock (_lock)
        {
            set = _next;
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        set.TrySetResult(dueTime);
        return timer;
    }
}
