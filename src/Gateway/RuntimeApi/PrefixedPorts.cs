using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace FcGateway.RuntimeApi;

/// <summary>
/// Ports of the runtime API whose every request is served under one prefix, for runtime clients that keep only the host
/// and port of their runtime API address (Lambda's clients for Node.js, Python and Rust drop a path): a launched
/// instance's port (<c>/functions/{name}/instances/{id}</c>), and a function's own port for the processes started
/// elsewhere (<c>/functions/{name}</c>, <c>RuntimeApiUrl</c>). Each is a listener of the runtime API's own transport
/// (Kestrel's sockets, with its options and memory pool); the connections it accepts are marked with the prefix and join
/// the runtime API's listener (<see cref="PrefixedPortTransportFactory"/>), which serves every request on them as if it
/// had come under that prefix.
/// </summary>
internal sealed class PrefixedPorts : IDisposable
{
    private readonly Channel<ConnectionContext> _accepted = Channel.CreateUnbounded<ConnectionContext>(new() { SingleReader = true });
    private readonly List<PrefixedPort> _ports = [];
    private IConnectionListenerFactory? _transport;

    /// <summary>Connections accepted on any of the ports, in order of arrival; completed once the runtime API stops.</summary>
    public ChannelReader<ConnectionContext> Accepted => _accepted.Reader;

    /// <summary>The transport the ports listen with: the runtime API's, once Kestrel has made it.</summary>
    public void UseTransport(IConnectionListenerFactory transport) => _transport = transport;

    /// <summary>
    /// Listens on <paramref name="endpoint"/> and serves what comes there under <paramref name="prefix"/> until the
    /// returned port is disposed (or the runtime API stops).
    /// </summary>
    /// <returns>The port, and the address it listens on (the port chosen when <paramref name="endpoint"/>'s is 0).</returns>
    /// <exception cref="InvalidOperationException">The runtime API's transport is not there yet.</exception>
    /// <exception cref="AddressInUseException">Something else listens on <paramref name="endpoint"/>.</exception>
    public (IDisposable Port, EndPoint Address) Open(EndPoint endpoint, PortPrefix prefix)
    {
        var transport = _transport ?? throw new InvalidOperationException("The runtime API has no transport to listen with yet.");

        // Kestrel's socket transport binds before BindAsync returns, so this does not block.
        var binding = transport.BindAsync(endpoint);
        var port = new PrefixedPort(binding.IsCompletedSuccessfully ? binding.Result : binding.AsTask().GetAwaiter().GetResult(), Forget);
        lock (_ports)
        {
            _ports.Add(port);
        }

        using (ExecutionContext.SuppressFlow())
        {
            _ = AcceptAsync(port, prefix);
        }

        return (port, port.Listener.EndPoint);
    }

    /// <summary>
    /// Stops taking connections, for the runtime API's stop: every port is unbound and no more are handed out, while the
    /// connections Kestrel has taken are still served until it closes them (a poll waiting there gets its <c>503</c>, as
    /// on the shared port); each port's listener, whose memory pool they read into, is released once its last one closed.
    /// </summary>
    public void StopAccepting() => StopHandingOut(static port => port.Dispose());

    /// <summary>Stops handing out connections (the runtime API's listener closes those it has not taken) and releases every port left.</summary>
    public void Dispose() => StopHandingOut(static port => port.Release());

    private void StopHandingOut(Action<PrefixedPort> endPort)
    {
        _accepted.Writer.TryComplete();
        PrefixedPort[] left;
        lock (_ports)
        {
            left = [.. _ports];
        }

        foreach (var port in left)
        {
            endPort(port);
        }
    }

    private void Forget(PrefixedPort port)
    {
        lock (_ports)
        {
            _ports.Remove(port);
        }
    }

    /// <summary>Until the port is unbound, or the runtime API stops taking connections.</summary>
    private async Task AcceptAsync(PrefixedPort port, PortPrefix prefix)
    {
        try
        {
            while (await port.Listener.AcceptAsync() is { } connection)
            {
                connection.Items[PortPrefix.Item] = prefix;
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
    /// One port. Disposing it (its instance exited) unbinds it, which ends its accept loop; its listener — which owns the
    /// memory pool its connections read into — is released once the loop has ended and every connection it accepted has
    /// closed.
    /// </summary>
    private sealed class PrefixedPort(IConnectionListener listener, Action<PrefixedPort> released) : IDisposable
    {
        /// <summary>The accept loop, and each connection it accepted that is still open.</summary>
        private int _references = 1;
        private int _unbound;
        private int _released;

        public IConnectionListener Listener => listener;

        public void Track(ConnectionContext connection)
        {
            Interlocked.Increment(ref _references);
            connection.ConnectionClosed.Register(static state => ((PrefixedPort)state!).Dereference(), this);
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
