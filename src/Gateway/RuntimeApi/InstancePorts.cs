using System.Net;
using System.Threading.Channels;
using FcGateway.Dispatch.Pull;
using Microsoft.AspNetCore.Connections;

namespace FcGateway.RuntimeApi;

/// <summary>
/// Ports of their own on 127.0.0.1 for launched instances whose runtime client keeps only the host and port of its
/// runtime API address: Lambda's clients for Node.js, Python and Rust drop a path, so a per-instance path prefix cannot
/// tell their instances apart. Each port is a listener of the runtime API's own transport (Kestrel's sockets, with its
/// options and memory pool); the connections it accepts are marked with the instance's prefix and join the runtime
/// API's listener (<see cref="InstancePortTransportFactory"/>), which serves every request on them as if it had come
/// under that prefix.
/// </summary>
internal sealed class InstancePorts : IDisposable
{
    /// <summary>The connection item holding the prefix (<c>/functions/{name}/instances/{id}</c>) of the instance whose port accepted it.</summary>
    public const string PrefixItem = "FcGateway.RuntimeApi.InstancePrefix";

    private readonly Channel<ConnectionContext> _accepted = Channel.CreateUnbounded<ConnectionContext>(new() { SingleReader = true });
    private readonly List<InstancePort> _ports = [];
    private IConnectionListenerFactory? _transport;

    /// <summary>Connections accepted on any instance's port, in order of arrival; completed once the runtime API stops.</summary>
    public ChannelReader<ConnectionContext> Accepted => _accepted.Reader;

    /// <summary>The transport instance ports listen with: the runtime API's, once Kestrel has made it.</summary>
    public void UseTransport(IConnectionListenerFactory transport) => _transport = transport;

    /// <summary>Listens on a new port of 127.0.0.1 for <paramref name="instanceId"/> of <paramref name="functionName"/>.</summary>
    /// <exception cref="InvalidOperationException">The runtime API's transport is not there yet.</exception>
    public InstanceAddress Open(string functionName, string instanceId)
    {
        var transport = _transport ?? throw new InvalidOperationException("The runtime API has no transport to listen with yet.");

        // Kestrel's socket transport binds before BindAsync returns, so this does not block.
        var binding = transport.BindAsync(new IPEndPoint(IPAddress.Loopback, 0));
        var port = new InstancePort(binding.IsCompletedSuccessfully ? binding.Result : binding.AsTask().GetAwaiter().GetResult(), Forget);
        lock (_ports)
        {
            _ports.Add(port);
        }

        using (ExecutionContext.SuppressFlow())
        {
            _ = AcceptAsync(port, RuntimeApiPaths.InstancePrefixOf(functionName, instanceId));
        }

        return new InstanceAddress(port.Listener.EndPoint.ToString()!, port);
    }

    /// <summary>Stops handing out connections (the runtime API's listener closes those it has not taken) and releases every port left.</summary>
    public void Dispose()
    {
        _accepted.Writer.TryComplete();
        InstancePort[] left;
        lock (_ports)
        {
            left = [.. _ports];
        }

        foreach (var port in left)
        {
            port.Release();
        }
    }

    private void Forget(InstancePort port)
    {
        lock (_ports)
        {
            _ports.Remove(port);
        }
    }

    /// <summary>Until the instance's port is unbound, or the runtime API stops taking connections.</summary>
    private async Task AcceptAsync(InstancePort port, string prefix)
    {
        try
        {
            while (await port.Listener.AcceptAsync() is { } connection)
            {
                connection.Items[PrefixItem] = prefix;
                port.Track(connection);
                if (!_accepted.Writer.TryWrite(connection))
                {
                    await connection.DisposeAsync();
                    return;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Released with the runtime API while accepting.
        }
        finally
        {
            port.EndAccepting();
        }
    }

    /// <summary>
    /// One instance's port. Disposing it (its instance exited) unbinds it, which ends its accept loop; its listener —
    /// which owns the memory pool its connections read into — is released once the loop has ended and every
    /// connection it accepted has closed.
    /// </summary>
    private sealed class InstancePort(IConnectionListener listener, Action<InstancePort> released) : IDisposable
    {
        /// <summary>The accept loop, and each connection it accepted that is still open.</summary>
        private int _references = 1;
        private int _unbound;
        private int _released;

        public IConnectionListener Listener => listener;

        public void Track(ConnectionContext connection)
        {
            Interlocked.Increment(ref _references);
            connection.ConnectionClosed.Register(static state => ((InstancePort)state!).Dereference(), this);
        }

        public void EndAccepting() => Dereference();

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _unbound, 1) == 0)
            {
                _ = listener.UnbindAsync().AsTask();
            }
        }

        /// <summary>Disposes the listener and its pool, once.</summary>
        public void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                released(this);
                _ = listener.DisposeAsync().AsTask();
            }
        }

        private void Dereference()
        {
            if (Interlocked.Decrement(ref _references) == 0)
            {
                Release();
            }
        }
    }
}
