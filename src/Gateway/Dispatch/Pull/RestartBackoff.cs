namespace FcGateway.Dispatch.Pull;

/// <summary>
/// How long a function waits before it starts again an instance kept for <c>MinInstances</c> that exited on its own: at
/// once the first time, then 1 s, 2 s, 4 s… (at most a minute) while each replacement exits within a minute of its
/// start, so that a function that crashes as soon as it has polled, or before (one that cannot start), does not restart in
/// a tight loop, logging each time.
/// An instance that ran for a minute or more resets it. Invocations that wait for an instance still start one at once.
/// </summary>
internal sealed class RestartBackoff
{
    /// <summary>An instance that ran this long before it exited was not crashing in a loop.</summary>
    public static readonly TimeSpan SteadyRun = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan LongestDelay = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private TimeSpan _next = TimeSpan.Zero;

    /// <summary>An instance exited on its own after running <paramref name="ranFor"/>: how long to wait before starting its replacement.</summary>
    public TimeSpan AfterExit(TimeSpan ranFor)
    {
        lock (_lock)
        {
            if (ranFor >= SteadyRun)
            {
                _next = TimeSpan.Zero;
                return TimeSpan.Zero;
            }

            var delay = _next;
            _next = delay == TimeSpan.Zero ? FirstDelay : TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
            return delay;
        }
    }
}
