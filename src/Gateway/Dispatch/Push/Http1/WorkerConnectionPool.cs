using System.Net;
using System.Net.Sockets;

namespace FcGateway.Dispatch.Push.Http1;

/// <summary>
/// The idle connections to one worker address, most recently used first. A connection is taken out for one call and
/// given back only if its reply left it fit for another; one found closed by the worker while it sat here is dropped
/// before it carries a call. Idle connections are closed after <see cref="WorkerConnections.IdleTimeout"/>.
/// </summary>
internal sealed class WorkerConnectionPool
{
    /// <summary>As YARP's HttpClient: a worker that accepts no connection within it is unreachable, not slow.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly Stack<WorkerConnection> _idle = new();
    private readonly EndPoint _endpoint;
    private readonly string _authority;
    private readonly TimeProvider _time;
    private bool _closed;

    public WorkerConnectionPool(Uri invokeUri, TimeProvider time)
    {
        _endpoint = invokeUri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            ? new IPEndPoint(IPAddress.Parse(invokeUri.DnsSafeHost), invokeUri.Port)
            : new DnsEndPoint(invokeUri.DnsSafeHost, invokeUri.Port);
        _authority = invokeUri.Authority;
        _time = time;
        LastUsed = time.GetTimestamp();
    }

    /// <summary>When a call last took a connection from the pool.</summary>
    public long LastUsed { get; private set; }

    public async ValueTask<WorkerConnection> RentAsync(CancellationToken cancellationToken)
    {
        LastUsed = _time.GetTimestamp();
        while (TryTakeIdle() is { } idle)
        {
            if (idle.HasUnreadBody ? idle.PassedOverArrivedBody() : idle.LooksOpen(_time.GetElapsedTime(idle.IdleSince)))
            {
                return idle;
            }

            idle.Dispose();
        }

        using var connectTimeout = new CancellationTokenSource(ConnectTimeout, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, connectTimeout.Token);
        try
        {
            return await WorkerConnection.ConnectAsync(_endpoint, _authority, either.Token);
        }
        catch (OperationCanceledException) when (connectTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException(
                HttpRequestError.ConnectionError, $"The connection attempt timed out ({_authority}).", new SocketException((int)SocketError.TimedOut));
        }
    }

    /// <summary>
    /// Keeps the connection for the next call when its reply left it reusable and it listens, while idle, for what comes
    /// on it (<see cref="WorkerConnection.ListenWhileIdle"/>): bytes or an end the worker sends unasked keep it from
    /// carrying another call. One with a 429's body still to come is kept without listening: what comes is that body,
    /// passed over when it is next taken (<see cref="WorkerConnection.PassedOverArrivedBody"/>). Closes it otherwise.
    /// </summary>
    public void Return(WorkerConnection connection)
    {
        if (connection.IsReusable && (connection.HasUnreadBody || connection.ListenWhileIdle()))
        {
            connection.IdleSince = _time.GetTimestamp();
            lock (_idle)
            {
                if (!_closed)
                {
                    _idle.Push(connection);
                    return;
                }
            }
        }

        connection.Dispose();
    }

    /// <summary>Closes the connections idle for <paramref name="idleTimeout"/> or longer; all of them, and every one given back later, when <paramref name="closing"/>.</summary>
    /// <returns>Whether the pool holds no connection now.</returns>
    public bool CloseIdle(TimeSpan idleTimeout, bool closing = false)
    {
        List<WorkerConnection>? expired = null;
        bool empty;
        lock (_idle)
        {
            _closed |= closing;
            var kept = _idle.Where(connection => !closing && _time.GetElapsedTime(connection.IdleSince) < idleTimeout).Reverse().ToArray();
            if (kept.Length != _idle.Count)
            {
                expired = [.. _idle.Except(kept)];
                _idle.Clear();
                foreach (var connection in kept)
                {
                    _idle.Push(connection);
                }
            }

            empty = _idle.Count == 0;
        }

        expired?.ForEach(connection => connection.Dispose());
        return empty;
    }

    private WorkerConnection? TryTakeIdle()
    {
        lock (_idle)
        {
            return _idle.TryPop(out var connection) ? connection : null;
        }
    }
}
