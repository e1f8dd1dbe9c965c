using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch;

/// <summary>Told what dispatch does with an invocation, for its span and metrics.</summary>
internal interface IInvocationObserver
{
    /// <summary>The invocation starts waiting for an instance with room (at once, or after queueing).</summary>
    void InstanceRequested();

    /// <summary>The instance that runs the invocation; the worker call starts now.</summary>
    void InstanceChosen(DestinationState destination);

    /// <summary>The invocation is the first of an instance started for it: it waited for the process to start.</summary>
    void ColdStarted();

    /// <summary>The worker answered, failed or was given up on; the instance is free again.</summary>
    void WorkerCallEnded();
}
