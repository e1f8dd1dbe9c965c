using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Edge.Requests;

/// <summary>
/// The connection as the connection middlewares after the gateway's see it: the same connection, except that the
/// output of its transport passes through a <see cref="ReplaceableOutput"/> — and so does the output of any transport
/// a later middleware puts in its place (TLS puts the decrypted stream there), so that <see cref="Output"/> is always
/// the plaintext HTTP/1.x bytes Kestrel writes.
/// </summary>
internal sealed class OutputReplacingConnection : ConnectionContext
{
    private readonly ConnectionContext _connection;
    private ReplaceableTransport _transport;

    public OutputReplacingConnection(ConnectionContext connection)
    {
        _connection = connection;
        _transport = new ReplaceableTransport(connection.Transport);
    }

    /// <summary>The output of the transport in place now.</summary>
    public ReplaceableOutput Output => _transport.Output;

    /// <remarks>A transport put back (TLS restores the one it was given) is already wrapped.</remarks>
    public override IDuplexPipe Transport
    {
        get => _transport;
        set => _transport = value as ReplaceableTransport ?? new ReplaceableTransport(value);
    }

    public override string ConnectionId
    {
        get => _connection.ConnectionId;
        set => _connection.ConnectionId = value;
    }

    public override IFeatureCollection Features => _connection.Features;

    public override IDictionary<object, object?> Items
    {
        get => _connection.Items;
        set => _connection.Items = value;
    }

    public override CancellationToken ConnectionClosed
    {
        get => _connection.ConnectionClosed;
        set => _connection.ConnectionClosed = value;
    }

    public override EndPoint? LocalEndPoint
    {
        get => _connection.LocalEndPoint;
        set => _connection.LocalEndPoint = value;
    }

    public override EndPoint? RemoteEndPoint
    {
        get => _connection.RemoteEndPoint;
        set => _connection.RemoteEndPoint = value;
    }

    public override void Abort() => _connection.Abort();

    public override void Abort(ConnectionAbortedException abortReason) => _connection.Abort(abortReason);

    private sealed class ReplaceableTransport(IDuplexPipe transport) : IDuplexPipe
    {
        public PipeReader Input { get; } = transport.Input;

        public ReplaceableOutput Output { get; } = new(transport.Output);

        PipeWriter IDuplexPipe.Output => Output;
    }
}
