using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Attacks;

/// <summary>
/// A web worker that is only a TCP listener on 127.0.0.1:0: for each request head it reads it writes the bytes
/// the test chose for that request line, as they are — for what a Kestrel worker will not send (interim responses,
/// a 101 on a plain request). Requests must carry no body. With <c>closeAfterReply</c> each connection is closed once
/// its first reply is written, for a reply framed by the connection's end. Disposing stops the listener and every
/// connection.
/// </summary>
public sealed class CannedResponseWorker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Func<string, string> _respond;
    private readonly bool _closeAfterReply;
    private readonly Task _accepting;

    private CannedResponseWorker(Func<string, string> respond, bool closeAfterReply)
    {
        _respond = respond;
        _closeAfterReply = closeAfterReply;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <param name="respond">Gets the request line (<c>GET /echo/x HTTP/1.1</c>), returns the response bytes as Latin-1 text.</param>
    /// <param name="closeAfterReply">Close each connection once its first reply is written.</param>
    public static CannedResponseWorker Start(Func<string, string> respond, bool closeAfterReply = false) => new(respond, closeAfterReply);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_connections)
                {
                    _connections.Add(ServeAsync(client));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var pending = "";
            var buffer = new byte[4096];
            try
            {
                while (true)
                {
                    var end = pending.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                    if (end < 0)
                    {
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        pending += Encoding.Latin1.GetString(buffer, 0, read);
                        continue;
                    }

                    var requestLine = pending[..pending.IndexOf("\r\n", StringComparison.Ordinal)];
                    pending = pending[(end + 4)..];
                    await stream.WriteAsync(Encoding.Latin1.GetBytes(_respond(requestLine)), _stop.Token);
                    if (_closeAfterReply)
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The loop ends on the cancellation first: a listener stopped under it would refuse its next accept.
        await _stop.CancelAsync();
        await _accepting;
        _listener.Stop();
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections);
        _stop.Dispose();
    }
}
