using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>One invocation's hold on a worker instance; disposing it frees the slot for the next waiter.</summary>
internal sealed class InstanceLease : IDisposable
{
    private readonly FunctionInstanceQueue _queue;
    private readonly long _drainsBegun;
    private int _released;

    /// <param name="queue">The queue the slot was taken from.</param>
    /// <param name="destination">The instance.</param>
    /// <param name="drainsBegun">How many drains the queue had begun when the slot was taken.</param>
    /// <param name="inBackground">True when an invocation no client waits for holds the slot.</param>
    public InstanceLease(FunctionInstanceQueue queue, DestinationState destination, long drainsBegun, bool inBackground)
    {
        _queue = queue;
        _drainsBegun = drainsBegun;
        Destination = destination;
        InBackground = inBackground;
    }

    public DestinationState Destination { get; }

    /// <summary>True when an invocation no client waits for holds the slot.</summary>
    public bool InBackground { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _queue.Release(Destination, _drainsBegun, InBackground);
        }
    }
}
