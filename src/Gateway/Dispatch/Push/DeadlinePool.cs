using System.Collections.Concurrent;

namespace FcGateway.Dispatch.Push;

/// <summary>
/// Reusable cancellation sources for invocation deadlines. A source and its timer cost every invocation two
/// allocations and a timer-queue insertion; a returned source is reset (its timer stopped) and handed out again.
/// A source that was cancelled (deadline passed, client gone) is not reusable and is dropped; so is every source
/// when the <see cref="TimeProvider"/> is not the system one, whose timers <see cref="CancellationTokenSource.TryReset"/>
/// cannot stop (tests with a manual clock get a fresh source each time).
/// </summary>
internal sealed class DeadlinePool(TimeProvider timeProvider)
{
    /// <summary>More than this many idle sources are let go, so a burst does not pin them for the process lifetime.</summary>
    private const int MaxIdle = 256;

    private readonly ConcurrentQueue<CancellationTokenSource> _idle = new();
    private int _idleCount;

    /// <summary>A source that cancels after <paramref name="timeout"/>; give it back with <see cref="Return"/>.</summary>
    public CancellationTokenSource Rent(TimeSpan timeout)
    {
        if (_idle.TryDequeue(out var source))
        {
            Interlocked.Decrement(ref _idleCount);
            source.CancelAfter(timeout);
            return source;
        }

        return new CancellationTokenSource(timeout, timeProvider);
    }

    /// <summary>Takes back a source once nothing uses its token any more (every registration on it disposed).</summary>
    public void Return(CancellationTokenSource source)
    {
        if (!source.TryReset())
        {
            source.Dispose();
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > MaxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            source.Dispose();
            return;
        }

        _idle.Enqueue(source);
    }
}
