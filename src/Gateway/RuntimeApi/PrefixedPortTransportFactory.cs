using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;

namespace FcGateway.RuntimeApi;

/// <summary>
/// The runtime API's transport: Kestrel's own, which also opens the prefixed ports (<see cref="PrefixedPorts"/>), and
/// whose first listener hands Kestrel the connections accepted on them. Kestrel then serves those connections like any
/// other, with the runtime API's limits and pipeline.
/// </summary>
internal sealed class PrefixedPortTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    private readonly IConnectionListenerFactory _inner;
    private readonly PrefixedPorts _ports;
    private int _joined;

    public PrefixedPortTransportFactory(IConnectionListenerFactory inner, PrefixedPorts ports)
    {
        _inner = inner;
        _ports = ports;
        ports.UseTransport(inner);
    }

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = await _inner.BindAsync(endpoint, cancellationToken);
        return Interlocked.Exchange(ref _joined, 1) == 0 ? new JoinedListener(listener, _ports.Accepted) : listener;
    }

    public bool CanBind(EndPoint endpoint) => _inner is not IConnectionListenerFactorySelector selector || selector.CanBind(endpoint);

    /// <summary>Accepts from its own socket and from every prefixed port, whichever has a connection first.</summary>
    private sealed class JoinedListener(IConnectionListener inner, ChannelReader<ConnectionContext> prefixed) : IConnectionListener
    {
        private Task<ConnectionContext?>? _ownAccept;
        private Task<ConnectionContext>? _prefixedAccept;
        private bool _prefixedPortsClosed;

        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                _ownAccept ??= inner.AcceptAsync(cancellationToken).AsTask();
                if (!_prefixedPortsClosed)
                {
                    _prefixedAccept ??= prefixed.ReadAsync(cancellationToken).AsTask();
                    await Task.WhenAny((Task)_ownAccept, _prefixedAccept);
                }

                if (_ownAccept.IsCompleted || _prefixedPortsClosed)
                {
                    var own = _ownAccept;
                    _ownAccept = null;
                    return await own;
                }

                var accepted = _prefixedAccept!;
                _prefixedAccept = null;
                try
                {
                    return await accepted;
                }
                catch (ChannelClosedException)
                {
                    _prefixedPortsClosed = true;
                }
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

        /// <summary>Closes its own socket, and the connections of prefixed ports that Kestrel did not take.</summary>
        public async ValueTask DisposeAsync()
        {
            await inner.DisposeAsync();
            if (_prefixedAccept is { IsCompletedSuccessfully: true } taken)
            {
                await taken.Result.DisposeAsync();
            }

            while (prefixed.TryRead(out var pending))
            {
                await pending.DisposeAsync();
            }
        }
    }
}
