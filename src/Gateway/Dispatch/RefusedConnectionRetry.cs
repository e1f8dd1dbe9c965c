using FcGateway.Configuration;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch;

/// <summary>
/// Where a pushed invocation (or web request) goes when the worker it was sent to was never reached — its address refused
/// the connection, to <c>/invoke</c>, <c>/initialize</c> or the web request itself: to another of its candidates, while
/// the function's <c>QueueTimeout</c> since it first asked for an instance has not passed. Time spent on a worker that
/// was never reached is time spent waiting for one, so connections slow to fail (a slow name lookup) cannot make it wait
/// a <c>Timeout</c> per instance; its later waits get what is left of the <c>QueueTimeout</c>.
/// </summary>
/// <remarks>A struct kept in its caller's state machine: an invocation that reaches its first worker allocates nothing for it.</remarks>
internal struct RefusedConnectionRetry(IReadOnlyList<DestinationState> candidates, FunctionSettings function, TimeProvider time)
{
    private readonly long _asked = time.GetTimestamp();
    private bool _refused;

    /// <summary>The instances that may serve it: the caller's, less those found not listening.</summary>
    public IReadOnlyList<DestinationState> Candidates { get; private set; } = candidates;

    /// <summary>How long its next wait for an instance may last: null (the function's whole <c>QueueTimeout</c>) until a worker was not reached.</summary>
    public readonly TimeSpan? QueueTimeout => _refused ? QueueTimeLeft() : null;

    /// <summary>The worker at <paramref name="unreached"/> was not reached: true when the invocation may go to another instance.</summary>
    public bool TryAnother(DestinationState unreached)
    {
        Candidates = [.. Candidates.Where(candidate => candidate != unreached)];
        _refused = true;
        return Candidates.Count > 0 && QueueTimeLeft() > TimeSpan.Zero;
    }

    private readonly TimeSpan QueueTimeLeft() => TimeSpan.FromTicks(Math.Max(0, (function.QueueTimeout - time.GetElapsedTime(_asked)).Ticks));
}
