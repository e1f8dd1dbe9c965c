using System.Net;
using System.Net.Sockets;

namespace FcWorker.Tests.TestHelpers;

/// <summary>
/// A loopback address that refuses every connection for as long as this object lives: its port is bound and never
/// listened on, as a runtime API's port is once its gateway has died. Holding the port keeps other tests' servers off it.
/// </summary>
public sealed class RefusingAddress : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RefusingAddress()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Authority = $"127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}";
    }

    /// <summary>The address as <c>FC_RUNTIME_API</c> takes it, e.g. <c>127.0.0.1:40123</c>.</summary>
    public string Authority { get; }

    public void Dispose() => _socket.Dispose();
}
