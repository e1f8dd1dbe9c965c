using FcGateway.Outcomes;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// When an asynchronous invocation runs again, and after how long. A failure in the function (error, timeout, crash,
/// failed initialization) runs again up to <c>AsyncRetryAttempts</c> times, after <see cref="RetryDelay"/>; an attempt
/// that found no instance with room (429, 503) runs again after a jittered wait of the same shape, until the invocation
/// is <see cref="MaxAge"/> old — at most <see cref="MaxBusyWait"/> when the function's instances were busy (they free up
/// in moments; a longer wait leaves them idle while invocations wait), up to <see cref="MaxRetryDelay"/> when it had
/// none; a reply the gateway could not take (over the response limit, broken framing) is not retried, since the function
/// ran to its end; nothing else is.
/// </summary>
internal static class AsyncRetryPolicy
{
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    /// <summary>The longest wait after an attempt that found every instance busy (it waited its queue timeout, or workers refused it as full).</summary>
    public static readonly TimeSpan MaxBusyWait = TimeSpan.FromSeconds(4);

    /// <summary>The wait after the <paramref name="failures"/>th failed attempt: 1 s, 2 s, 4 s… up to <see cref="MaxRetryDelay"/>.</summary>
    public static TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromTicks(Math.Min(FirstRetryDelay.Ticks << Math.Clamp(failures - 1, 0, 16), MaxRetryDelay.Ticks));

    /// <summary>Counts the attempt that ended with <paramref name="outcome"/> on <paramref name="invocation"/>.</summary>
    /// <returns>How long to wait before the next attempt, or null when there is none.</returns>
    public static TimeSpan? NextWait(PendingInvocation invocation, Outcome outcome, int retryAttempts, TimeSpan age)
    {
        if (outcome == Outcome.BadResponse)
        {
            return null;
        }

        if (OutcomeTable.Of(outcome).IsFunctionFailure)
        {
            return invocation.FunctionFailures++ < retryAttempts ? RetryDelay(invocation.FunctionFailures) : null;
        }

        // No attempt is refused as queue full (QueueFull): it waits in the background line, which MaxQueueLength does not bound.
        if (outcome is Outcome.QueueTimeout or Outcome.InstanceBusy or Outcome.NoInstance && age < MaxAge)
        {
            var wait = RetryDelay(++invocation.Throttles);
            if (outcome != Outcome.NoInstance && wait > MaxBusyWait)
            {
                wait = MaxBusyWait;
            }

            // Between half and all of the wait, so that invocations refused together do not all come back together.
            return wait * (0.5 + (Random.Shared.NextDouble() / 2));
        }

        return null;
    }
}
