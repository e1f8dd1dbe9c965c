namespace FcGateway.Dispatch.Pull;

/// <summary>Where the runtime API listens, for the <c>FC_RUNTIME_API</c> of the instances the gateway launches.</summary>
internal interface IRuntimeApiListener
{
    /// <summary>The listener's address once it listens; null before, or when it does not run.</summary>
    Uri? Address { get; }
}
