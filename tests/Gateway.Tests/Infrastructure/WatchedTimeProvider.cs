using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that tells when a timer is set: a test waits until the code under test waits on the
/// clock, and then knows that what the timer holds back cannot have happened, since the clock moves only when the
/// test advances it.
/// </summary>
public sealed class WatchedTimeProvider : FakeTimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<TimeSpan> _set = [];
    private readonly List<(TimeSpan DueTime, TaskCompletionSource Set)> _waiting = [];

    public WatchedTimeProvider()
        : base(DateTimeOffset.UtcNow)
    {
    }

    /// <summary>Completes once a timer due after <paramref name="dueTime"/> has been set (at once if one was).</summary>
    public Task TimerSet(TimeSpan dueTime)
    {
        lock (_lock)
        {
            if (_set.Contains(dueTime))
            {
                return Task.CompletedTask;
            }

            var set = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((dueTime, set));
            return set.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_lock)
        {
            _set.Add(dueTime);
            foreach (var waiter in _waiting.Where(waiter => waiter.DueTime == dueTime))
            {
                waiter.Set.TrySetResult();
            }

            _waiting.RemoveAll(waiter => waiter.DueTime == dueTime);
        }

        return timer;
    }
}
