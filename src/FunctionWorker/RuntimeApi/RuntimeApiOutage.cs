using FcWorker.Invocation;
using Microsoft.Extensions.Logging;

namespace FcWorker.RuntimeApi;

/// <summary>
/// Logs a runtime API that cannot be polled once per outage, not once per failed poll of every loop: a warning at the
/// first failure, and one line when a poll succeeds again, with how many failed in between.
/// </summary>
internal sealed partial class RuntimeApiOutage(Uri address, ILogger logger)
{
    private int _failedPolls;

    public void PollFailed(string reason)
    {
        if (Interlocked.Increment(ref _failedPolls) == 1)
        {
            Log.Began(logger, address, reason);
        }
    }

    public void PollSucceeded()
    {
        if (Volatile.Read(ref _failedPolls) > 0 && Interlocked.Exchange(ref _failedPolls, 0) is var failedPolls and > 0)
        {
            Log.Ended(logger, address, failedPolls);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(WorkerEventIds.RuntimeApiOutageBegan, LogLevel.Warning,
            "The runtime API at {Address} cannot be polled: {Reason}; retrying with backoff, and logging again only when it answers")]
        public static partial void Began(ILogger logger, Uri address, string reason);

        [LoggerMessage(WorkerEventIds.RuntimeApiOutageEnded, LogLevel.Information,
            "The runtime API at {Address} answers again, after {FailedPolls} failed poll(s)")]
        public static partial void Ended(ILogger logger, Uri address, int failedPolls);
    }
}
