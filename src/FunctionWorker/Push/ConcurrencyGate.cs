namespace FcWorker.Push;

/// <summary>
/// Admits at most <see cref="Limit"/> invocations at once, without locks or queueing: a caller
/// either gets a slot now or is told to go away.
/// </summary>
internal sealed class ConcurrencyGate(int limit)
{
    private int _running;

    public int Limit { get; } = limit;

    public bool TryEnter()
    {
        var running = Volatile.Read(ref _running);
        while (running < Limit)
        {
            var seen = Interlocked.CompareExchange(ref _running, running + 1, running);
            if (seen == running)
            {
                return true;
            }

            running = seen;
        }

        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _running);
}
