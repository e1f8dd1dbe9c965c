namespace FcGateway.Dispatch.Pull;

/// <summary>
/// Holds back on-demand starts of a function whose instances keep failing to start (they exit before their first poll,
/// miss their <c>InitializationTimeout</c>, fail their initializer, or cannot be run at all). The first failure holds
/// nothing: the next invocation starts one at once. From the second in a row, no instance starts for 1 s, then 2 s,
/// 4 s… (at most <see cref="LongestHold"/>) after each, and invocations arriving meanwhile, with no instance ready or
/// starting, fail at once with the last failure instead of each starting a process bound to fail. An instance that
/// becomes ready, or a reload (which may have mended the command), ends the hold. Failures count in a row only when each
/// instance started after the failure before it was known: instances a burst started together that fail together (one
/// outage of something they need) are one failure, not a hold doubled for each. Not thread-safe: the pool calls it
/// under its lock.
/// </summary>
internal sealed class FailedStartHold(TimeProvider time)
{
    public static readonly TimeSpan FirstHold = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan LongestHold = TimeSpan.FromSeconds(30);

    private int _failuresInARow;
    private TimeSpan _hold;
    private long _lastFailureTimestamp;
    private InvocationResult _lastFailure;

    /// <summary>An instance started at <paramref name="startedTimestamp"/> failed to start, its waiters told <paramref name="failure"/>.</summary>
    public void Failed(InvocationResult failure, long startedTimestamp)
    {
        _lastFailure = failure;
        if (_failuresInARow > 0 && startedTimestamp < _lastFailureTimestamp)
        {
            // Started before the last failure was known: the same try as that one.
            return;
        }

        _failuresInARow++;
        _hold = _failuresInARow < 2 ? TimeSpan.Zero
            : _failuresInARow == 2 ? FirstHold
            : TimeSpan.FromTicks(Math.Min(_hold.Ticks * 2, LongestHold.Ticks));
        _lastFailureTimestamp = time.GetTimestamp();
    }

    /// <summary>An instance became ready, or a reload came into force: starts go ahead again.</summary>
    public void End()
    {
        _failuresInARow = 0;
        _hold = TimeSpan.Zero;
    }

    /// <summary>
    /// False while fewer than two starts in a row have failed, so starts cannot be held: read without the pool's lock, by
    /// every invocation (a stale answer only defers the check to the next).
    /// </summary>
    public bool MayHold => Volatile.Read(ref _failuresInARow) >= 2;

    /// <summary>Whether starts are held now.</summary>
    public bool IsHolding => _hold > TimeSpan.Zero && time.GetElapsedTime(_lastFailureTimestamp) < _hold;

    /// <summary>How long the hold lasts from now (zero when starts are not held).</summary>
    public TimeSpan Remaining => IsHolding ? _hold - time.GetElapsedTime(_lastFailureTimestamp) : TimeSpan.Zero;

    /// <summary>What an invocation arriving while starts are held fails with: the last failure, saying why no instance is started for it.</summary>
    public InvocationResult HeldFailure(string function)
    {
        var wait = Remaining;
        return _lastFailure with
        {
            Reason = $"The last {_failuresInARow} instances started for {function} failed to start, so none is started for another "
                + $"{Math.Max(0.1, wait.TotalSeconds):0.0} s; the last failure: {(_lastFailure.Reason.Length == 0 ? _lastFailure.Outcome.ToString() : _lastFailure.Reason)}",
        };
    }
}
