using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using FcGateway.Dispatch.Pull;

namespace FcGateway.RuntimeApi;

/// <summary>
/// Ports of their own on 127.0.0.1 for launched instances whose runtime client keeps only the host and port of its
/// runtime API address: Lambda's clients for Node.js, Python and Rust drop a path, so a per-instance path prefix cannot
/// tell their instances apart. Each port is a listening socket; the connections it accepts join the runtime API's own
/// listener (<see cref="InstancePortTransportFactory"/>) marked with the instance's prefix, and are served as if every
/// request had come under that prefix.
/// </summary>
internal sealed class InstancePorts : IDisposable
{
    /// <summary>The connection item holding the prefix (<c>/functions/{name}/instances/{id}</c>) of the instance whose port accepted it.</summary>
    public const string PrefixItem = "FcGateway.RuntimeApi.InstancePrefix";

    private readonly Channel<AcceptedSocket> _accepted = Channel.CreateUnbounded<AcceptedSocket>(new() { SingleReader = true });

    /// <summary>Connections accepted on any instance's port, in order of arrival.</summary>
    public ChannelReader<AcceptedSocket> Accepted => _accepted.Reader;

    /// <summary>Listens on a new port of 127.0.0.1 for <paramref name="instanceId"/> of <paramref name="functionName"/>.</summary>
    public InstanceAddress Open(string functionName, string instanceId)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen();
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        using (ExecutionContext.SuppressFlow())
        {
            _ = AcceptAsync(listener, RuntimeApiPaths.InstancePrefixOf(functionName, instanceId));
        }

        return new InstanceAddress(listener.LocalEndPoint!.ToString()!, listener);
    }

    /// <summary>Stops handing out connections; those not yet taken are closed.</summary>
    public void Dispose()
    {
        _accepted.Writer.TryComplete();
        while (_accepted.Reader.TryRead(out var pending))
        {
            pending.Socket.Dispose();
        }
    }

    private async Task AcceptAsync(Socket listener, string prefix)
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptAsync();
                socket.NoDelay = true;
                if (!_accepted.Writer.TryWrite(new AcceptedSocket(socket, prefix)))
                {
                    socket.Dispose();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The instance's address was closed with the instance.
        }
    }

    /// <summary>A connection accepted on an instance's port, and that instance's prefix.</summary>
    internal readonly record struct AcceptedSocket(Socket Socket, string Prefix);
}
