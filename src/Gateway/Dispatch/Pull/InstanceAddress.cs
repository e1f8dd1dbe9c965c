namespace FcGateway.Dispatch.Pull;

/// <summary>A launched instance's runtime API address of its own, <c>host:port</c> with no path; disposing it stops listening there.</summary>
internal sealed class InstanceAddress(string authority, IDisposable listener) : IDisposable
{
    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Authority => authority;

    public void Dispose() => listener.Dispose();
}
