namespace FcGateway.Dispatch.Pull;

/// <summary>Where the runtime API listens, for the runtime API address of the instances the gateway launches.</summary>
internal interface IRuntimeApiListener
{
    /// <summary>The listener's address once it listens; null before, or when it does not run.</summary>
    Uri? Address { get; }

    /// <summary>
    /// Opens an address of its own for one launched instance, served as the instance's prefix
    /// (<c>/functions/{name}/instances/{id}</c>) is; null when the listener does not run.
    /// </summary>
    /// <exception cref="IOException">No port could be opened (or a <see cref="System.Net.Sockets.SocketException"/>).</exception>
    InstanceAddress? OpenInstanceAddress(string functionName, string instanceId);
}
