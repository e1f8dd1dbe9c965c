namespace FcGateway.Dispatch.Push;

/// <summary>A worker instance's <c>/initialize</c> call failed; the invocations waiting on it fail too.</summary>
internal sealed class WorkerInitializationException(string message) : Exception(message);
