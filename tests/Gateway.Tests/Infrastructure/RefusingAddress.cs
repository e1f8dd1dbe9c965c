using System.Net;
using System.Net.Sockets;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A loopback address that refuses every connection for as long as this object lives: its port is bound and never listened
/// on. Holding the port keeps other tests' servers (and outgoing connections' source ports) off it, which a port freed by a
/// stopped server does not.
/// </summary>
public sealed class RefusingAddress : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public RefusingAddress()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Url = $"http://127.0.0.1:{((IPEndPoint)_socket.LocalEndPoint!).Port}";
    }

    /// <summary>The address as a worker URL, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string Url { get; }

    public void Dispose() => _socket.Dispose();
}
