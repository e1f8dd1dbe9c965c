using System.Net;
using System.Net.Sockets;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A worker that is only a TCP listener on 127.0.0.1:0, for replies written byte for byte: it accepts connections and
/// hands each to <see cref="ServeAsync"/>. Disposing stops the listener and waits for every connection to end.
/// </summary>
public abstract class LoopbackTcpWorker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Task> _connections = [];
    private Task _accepting = Task.CompletedTask;

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Cancelled when the worker is disposed.</summary>
    protected CancellationTokenSource Stop { get; } = new();

    /// <summary>Starts listening; called once by the derived worker's factory, after its own fields are set.</summary>
    protected void Listen()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Serves one connection until it ends; I/O and cancellation exceptions end it quietly.</summary>
    protected abstract Task ServeAsync(NetworkStream stream);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(Stop.Token);
                lock (_connections)
                {
                    _connections.Add(ServeQuietlyAsync(client));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeQuietlyAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await ServeAsync(client.GetStream());
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The loop ends on the cancellation first: a listener stopped under it would refuse its next accept.
        await Stop.CancelAsync();
        await _accepting;
        _listener.Stop();
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        Stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
