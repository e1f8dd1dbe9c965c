using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace FcGateway.RuntimeApi;

/// <summary>
/// The runtime API's transport: Kestrel's own (<paramref name="inner"/>), whose first listener also hands Kestrel the
/// connections accepted on <see cref="InstancePorts"/>, each marked with its instance's prefix. Kestrel then serves
/// those connections like any other, with the runtime API's limits and pipeline.
/// </summary>
internal sealed class InstancePortTransportFactory(IConnectionListenerFactory inner, InstancePorts ports, ILogger logger)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private int _joined;

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = await inner.BindAsync(endpoint, cancellationToken);
        return Interlocked.Exchange(ref _joined, 1) == 0 ? new JoinedListener(listener, ports, new SocketConnectionContextFactory(new(), logger)) : listener;
    }

    public bool CanBind(EndPoint endpoint) => inner is not IConnectionListenerFactorySelector selector || selector.CanBind(endpoint);

    /// <summary>Accepts from its own socket and from every instance's port, whichever has a connection first.</summary>
    private sealed class JoinedListener(IConnectionListener inner, InstancePorts ports, SocketConnectionContextFactory contexts) : IConnectionListener
    {
        private Task<ConnectionContext?>? _ownAccept;
        private Task<InstancePorts.AcceptedSocket>? _instanceAccept;
        private bool _instancePortsClosed;

        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                _ownAccept ??= inner.AcceptAsync(cancellationToken).AsTask();
                if (_instancePortsClosed)
                {
                    return await TakeOwnAsync();
                }

                _instanceAccept ??= ports.Accepted.ReadAsync(cancellationToken).AsTask();
                if (await Task.WhenAny(_ownAccept, _instanceAccept) == _ownAccept)
                {
                    return await TakeOwnAsync();
                }

                try
                {
                    var accepted = await _instanceAccept;
                    var connection = contexts.Create(accepted.Socket);
                    connection.Items[InstancePorts.PrefixItem] = accepted.Prefix;
                    return connection;
                }
                catch (System.Threading.Channels.ChannelClosedException)
                {
                    _instancePortsClosed = true;
                }
                finally
                {
                    _instanceAccept = null;
                }
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            contexts.Dispose();
        }

        private async Task<ConnectionContext?> TakeOwnAsync()
        {
            var own = _ownAccept!;
            _ownAccept = null;
            return await own;
        }
    }
}
