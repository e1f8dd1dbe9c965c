using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FcWorker.Tests.TestHelpers;

/// <summary>
/// A runtime API scripted byte for byte on a TCP listener at 127.0.0.1 with a free port: the test accepts each
/// connection, reads the requests that arrive on it (pipelined ones one after the other) and writes raw answers.
/// </summary>
public sealed class ScriptedRuntimeApi : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public ScriptedRuntimeApi() => _listener.Start();

    /// <summary>The base of the invocation paths, as the worker reads it from <c>FC_RUNTIME_API</c>.</summary>
    public Uri InvocationBase => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/fn/2020-11-11/runtime/invocation/");

    public int Accepted { get; private set; }

    public async Task<ScriptedConnection> AcceptAsync()
    {
        var socket = await _listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(15));
        Accepted++;
        return new ScriptedConnection(socket);
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>One accepted connection of a <see cref="ScriptedRuntimeApi"/>.</summary>
public sealed class ScriptedConnection(Socket socket) : IDisposable
{
    private readonly List<byte> _held = [];

    /// <summary>The next request's head (request line and headers as text) and its body, read by Content-Length or chunks.</summary>
    public async Task<(string Head, byte[] Body)> ReadRequestAsync()
    {
        var headEnd = await FillUntilAsync(held => IndexOf(held, "\r\n\r\n"u8));
        var head = Encoding.ASCII.GetString([.. _held.Take(headEnd)]);
        _held.RemoveRange(0, headEnd + 4);
        byte[] body;
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            var end = await FillUntilAsync(held => IndexOf(held, "0\r\n\r\n"u8));
            body = Unchunk([.. _held.Take(end + 5)]);
            _held.RemoveRange(0, end + 5);
        }
        else
        {
            var length = head.Split("\r\n").Select(line => line.Split(": ", 2)).Where(pair => pair[0].Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(pair => int.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
            await FillUntilAsync(held => held.Count >= length ? 0 : -1);
            body = [.. _held.Take(length)];
            _held.RemoveRange(0, length);
        }

        return (head, body);
    }

    /// <summary>What arrives after the requests read so far, until the worker closes the connection.</summary>
    public async Task<string> ReadToCloseAsync()
    {
        try
        {
            await FillUntilAsync(_ => -1);
        }
        catch (IOException)
        {
        }

        return Encoding.ASCII.GetString([.. _held]);
    }

    public Task WriteAsync(string text) => socket.SendAsync(Encoding.ASCII.GetBytes(text));

    /// <summary>Ends the connection with a reset (RST) rather than a close.</summary>
    public void Reset()
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Dispose();
    }

    public void Dispose() => socket.Dispose();

    private async Task<int> FillUntilAsync(Func<List<byte>, int> find)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var found = find(_held);
            if (found >= 0)
            {
                return found;
            }

            var received = await socket.ReceiveAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(15));
            if (received == 0)
            {
                throw new IOException("The worker closed the connection.");
            }

            _held.AddRange(buffer.AsSpan(0, received));
        }
    }

    private static int IndexOf(List<byte> held, ReadOnlySpan<byte> bytes) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(held).IndexOf(bytes);

    private static byte[] Unchunk(byte[] chunked)
    {
        var body = new List<byte>();
        var position = 0;
        while (true)
        {
            var lineEnd = chunked.AsSpan(position).IndexOf("\r\n"u8);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(chunked, position, lineEnd), 16);
            position += lineEnd + 2;
            if (size == 0)
            {
                return [.. body];
            }

            body.AddRange(chunked.AsSpan(position, size));
            position += size + 2;
        }
    }
}
