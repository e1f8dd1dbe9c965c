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
    private readonly List<(Func<TimeSpan, bool> Matches, TaskCompletionSource Set)> _waiting = [];

    public WatchedTimeProvider()
        : base(DateTimeOffset.UtcNow)
    {
    }

    /// <summary>Completes once a timer due after <paramref name="dueTime"/> has been set (at once if one was).</summary>
    public Task TimerSet(TimeSpan dueTime) => TimerSet(due => due == dueTime);

    /// <summary>Completes once a timer whose due time <paramref name="matches"/> has been set (at once if one was).</summary>
    public Task TimerSet(Func<TimeSpan, bool> matches)
    {
        lock (_lock)
        {
            if (_set.Any(matches))
            {
                return Task.CompletedTask;
            }

            var set = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((matches, set));
            return set.Task;
        }
    }

    /// <summary>
    /// Completes once a timer due after <paramref name="dueTime"/> is set from now on, those set before not counting: the
    /// wait of a code path that sets a timer of the same length as an earlier one did.
    /// </summary>
    public Task NextTimerSet(TimeSpan dueTime)
    {
        lock (_lock)
        {
            var set = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((due => due == dueTime, set));
            return set.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        lock (_lock)
        {
            _set.Add(dueTime);
            foreach (var waiter in _waiting.Where(waiter => waiter.Matches(dueTime)))
            {
                waiter.Set.TrySetResult();
            }

            _waiting.RemoveAll(waiter => waiter.Matches(dueTime));
        }

        return timer;
    }
}
