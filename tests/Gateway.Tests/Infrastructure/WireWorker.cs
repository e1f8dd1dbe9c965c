using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A worker that is a TCP listener on 127.0.0.1:0 answering each request with the bytes a test wrote, as they are: for
/// replies a real HTTP server does not send (chunk extensions, interim heads, a body longer than its length). It reads
/// each request whole (its head and a Content-Length body), so a connection can carry several; it counts connections
/// and notes when each that carried an invocation ends. Disposing stops the listener and every connection.
/// </summary>
public sealed class WireWorker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Func<int, string> _respond;
    private readonly Task _accepting;
    private int _requests;
    private int _accepted;
    private int _ended;

    private WireWorker(Func<int, string> respond, bool closeAfterReply)
    {
        _respond = respond;
        CloseAfterReply = closeAfterReply;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Connections that carried an invocation so far (the gateway's health probes come on connections of their own).</summary>
    public int InvokeConnections => Volatile.Read(ref _accepted);

    /// <summary>Of those, the connections that have ended (closed by either side).</summary>
    public int EndedInvokeConnections => Volatile.Read(ref _ended);

    /// <summary>Each invocation's request head as received, in order.</summary>
    public List<string> RequestHeads { get; } = [];

    private bool CloseAfterReply { get; }

    /// <param name="respond">Gets the invocation's number (from 1), returns the reply's bytes as Latin-1 text.</param>
    /// <param name="closeAfterReply">Close each connection once its first reply is written, without saying so in it.</param>
    public static WireWorker Start(Func<int, string> respond, bool closeAfterReply = false) => new(respond, closeAfterReply);

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
        var invoked = false;
        try
        {
            using (client)
            {
                var stream = client.GetStream();
                var pending = new List<byte>();
                var buffer = new byte[8192];
                while (true)
                {
                    var head = await ReadHeadAsync(stream, pending, buffer);
                    if (head is null)
                    {
                        return;
                    }

                    var length = ContentLength(head);
                    while (pending.Count < length)
                    {
                        var read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        pending.AddRange(buffer.AsSpan(0, read));
                    }

                    pending.RemoveRange(0, length);
                    if (!head.StartsWith("POST /invoke ", StringComparison.Ordinal))
                    {
                        // The gateway's health probe, answered as the SDK's workers do, apart from the script.
                        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray(), _stop.Token);
                        continue;
                    }

                    if (!invoked)
                    {
                        invoked = true;
                        Interlocked.Increment(ref _accepted);
                    }

                    lock (RequestHeads)
                    {
                        RequestHeads.Add(head);
                    }

                    await stream.WriteAsync(Encoding.Latin1.GetBytes(_respond(Interlocked.Increment(ref _requests))), _stop.Token);
                    if (CloseAfterReply)
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException)
        {
        }
        finally
        {
            if (invoked)
            {
                Interlocked.Increment(ref _ended);
            }
        }
    }

    private async Task<string?> ReadHeadAsync(NetworkStream stream, List<byte> pending, byte[] buffer)
    {
        while (true)
        {
            var text = Encoding.Latin1.GetString([.. pending]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                pending.RemoveRange(0, end + 4);
                return text[..end];
            }

            var read = await stream.ReadAsync(buffer, _stop.Token);
            if (read == 0)
            {
                return null;
            }

            pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    private static int ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
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
