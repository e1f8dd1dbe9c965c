using FcGateway.Outcomes;

namespace FcGateway.Dispatch;

/// <summary>
/// When a function's error is its timeout. The SDKs cancel a function at its deadline (their own count of the timeout a
/// pushed call's headers give, or the deadline a pulling worker is told, in whole milliseconds) and answer with an error,
/// which may come before the gateway's own timer fires: on a loaded machine, or because timers count whole milliseconds.
/// </summary>
internal static class FunctionDeadline
{
    /// <summary>How much earlier than the gateway's count a worker's deadline may fire: a timer tick (Windows' is 15.6 ms).</summary>
    public static readonly TimeSpan TimerGranularity = TimeSpan.FromMilliseconds(16);

    /// <summary>
    /// The timeout, when <paramref name="result"/> is the function's own error and came with less than
    /// <see cref="TimerGranularity"/> of the invocation's <paramref name="timeout"/> left (or none); otherwise the result.
    /// </summary>
    public static InvocationResult TimeoutIfLate(InvocationResult result, TimeSpan remaining, TimeSpan timeout) =>
        result.Outcome == Outcome.FunctionError && remaining < TimerGranularity
            ? new(Outcome.Timeout, $"{TimeoutText.For(timeout)}.")
            : result;
}
