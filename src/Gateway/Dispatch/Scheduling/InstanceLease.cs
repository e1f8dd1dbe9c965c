using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Scheduling;

/// <summary>One invocation's hold on a worker instance; disposing it frees the slot for the next waiter.</summary>
internal sealed class InstanceLease : IDisposable
{
    private readonly FunctionInstanceQueue _queue;
    private int _released;

    public InstanceLease(FunctionInstanceQueue queue, DestinationState destination)
    {
        _queue = queue;
        Destination = destination;
    }

    public DestinationState Destination { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _queue.Release(Destination);
        }
    }
}
