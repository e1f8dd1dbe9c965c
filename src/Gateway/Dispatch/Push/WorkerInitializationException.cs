namespace FcGateway.Dispatch.Push;

/// <summary>A worker instance's <c>/initialize</c> call failed; the invocations waiting on it fail too.</summary>
/// <param name="message">Why, for the log.</param>
/// <param name="neverReached">True when no connection was made (refused, host unreachable, name not found): the worker saw nothing.</param>
internal sealed class WorkerInitializationException(string message, bool neverReached = false) : Exception(message)
{
    /// <summary>
    /// No connection was made to the worker, which therefore saw neither the call nor the invocation waiting on it: another
    /// instance may run that invocation.
    /// </summary>
    public bool NeverReached { get; } = neverReached;
}
