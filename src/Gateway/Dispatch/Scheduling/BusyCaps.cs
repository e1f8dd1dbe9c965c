using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>
/// The instances of one function that answered 429, each capped below what it was running when it refused, until
/// <see cref="FunctionInstanceQueue.BusyCapLifetime"/> passes without another refusal. Not thread-safe: its queue's lock
/// guards it.
/// </summary>
/// <remarks>
/// A worker that answers 429 is full (its own limit, e.g. the C# SDK's <c>FC_INSTANCE_CONCURRENCY</c>, is lower than the
/// function's concurrency); the cap is forgotten in case the worker was only briefly full or came back with a higher limit.
/// </remarks>
internal sealed class BusyCaps(TimeProvider timeProvider)
{
    private readonly Dictionary<DestinationState, BusyCap> _caps = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Caps <paramref name="destination"/>, which refused an invocation as full while running <paramref name="running"/>:
    /// from now on it is given at most one invocation fewer, never less than one.
    /// </summary>
    public void Lower(DestinationState destination, int running)
    {
        var cap = Math.Max(1, running - 1);
        if (_caps.TryGetValue(destination, out var known) && !IsExpired(known))
        {
            cap = Math.Min(cap, known.Limit);
        }

        _caps[destination] = new BusyCap(cap, timeProvider.GetTimestamp());
    }

    /// <summary>The function's concurrency, or less while the instance is capped.</summary>
    public int LimitOf(DestinationState destination, int concurrency)
    {
        if (_caps.Count == 0 || !_caps.TryGetValue(destination, out var cap))
        {
            return concurrency;
        }

        if (IsExpired(cap))
        {
            _caps.Remove(destination);
            return concurrency;
        }

        return Math.Min(concurrency, cap.Limit);
    }

    private bool IsExpired(BusyCap cap) => timeProvider.GetElapsedTime(cap.SinceTimestamp) >= FunctionInstanceQueue.BusyCapLifetime;

    /// <summary>At most <paramref name="Limit"/> invocations on an instance that answered 429, since <paramref name="SinceTimestamp"/>.</summary>
    private readonly record struct BusyCap(int Limit, long SinceTimestamp);
}
