using System.Net;
using System.Net.Sockets;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A loopback address that refuses every connection for as long as this object lives: its port is bound and never listened
/// on. Holding the port keeps other tests' servers (and outgoing connections' source ports) off it, which a port freed by a
/// stopped server does not. FunctionWorker.Tests compiles this file too, for a runtime API whose gateway has died.
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

    /// <summary>The address as a worker URL, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string Url => "http://" + Authority;

    public void Dispose() => _socket.Dispose();
}
