using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// A function worker that runs a test's script on each connection, byte for byte and step by step: it reads a request's
/// head only, and the script decides what follows — read the body or not, reply whole or a byte at a time, reset the
/// connection, close it, or leave it open and silent. Health probes are answered 200 apart from the script.
/// </summary>
public sealed class HostileWorker : LoopbackTcpWorker
{
    private readonly Func<Connection, Task> _script;
    private int _invocations;
    private int _connections;

    private HostileWorker(Func<Connection, Task> script)
    {
        _script = script;
    }

    /// <summary>Invocation heads read so far, on every connection.</summary>
    public int Invocations => Volatile.Read(ref _invocations);

    /// <summary>Connections that carried an invocation so far.</summary>
    public int InvokeConnections => Volatile.Read(ref _connections);

    /// <param name="script">Serves one connection whose first invocation head has been read (<see cref="Connection.Head"/>).</param>
    public static HostileWorker Start(Func<Connection, Task> script)
    {
        var worker = new HostileWorker(script);
        worker.Listen();
        return worker;
    }

    protected override async Task ServeAsync(NetworkStream stream)
    {
        var connection = new Connection(this, stream, Stop.Token);
        if (await connection.ReadInvocationHeadAsync())
        {
            Interlocked.Increment(ref _connections);
            await _script(connection);
        }
    }

    /// <summary>One connection to the gateway, as the script sees it.</summary>
    public sealed class Connection(HostileWorker worker, NetworkStream stream, CancellationToken stop)
    {
        private readonly List<byte> _pending = [];
        private readonly byte[] _buffer = new byte[16 * 1024];

        /// <summary>The last invocation's request head.</summary>
        public string Head { get; private set; } = "";

        /// <summary>Reads the next invocation's head (health probes on the way are answered); false once the connection ends.</summary>
        public async Task<bool> ReadInvocationHeadAsync()
        {
            while (await ReadHeadAsync() is { } head)
            {
                if (head.StartsWith("POST /invoke ", StringComparison.Ordinal))
                {
                    Head = head;
                    Interlocked.Increment(ref worker._invocations);
                    return true;
                }

                await DrainBodyAsync(head);
                await WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }

            return false;
        }

        /// <summary>Reads the rest of the last invocation's body.</summary>
        public Task DrainBodyAsync() => DrainBodyAsync(Head);

        public Task WriteAsync(string latin1) => stream.WriteAsync(Encoding.Latin1.GetBytes(latin1), stop).AsTask();

        /// <summary>Writes each byte in a send of its own.</summary>
        public async Task WriteBytewiseAsync(string latin1)
        {
            foreach (var b in Encoding.Latin1.GetBytes(latin1))
            {
                await stream.WriteAsync(new[] { b }, stop);
                await stream.FlushAsync(stop);
            }
        }

        /// <summary>Ends the connection with a reset (linger 0): what a crashing process's kernel sends.</summary>
        public void Reset()
        {
            stream.Socket.LingerState = new LingerOption(true, 0);
            stream.Socket.Close();
        }

        /// <summary>Closes the connection in order (a FIN), whatever the gateway sent that was not read.</summary>
        public void Close() => stream.Socket.Shutdown(SocketShutdown.Send);

        /// <summary>Waits, reading nothing, until the worker is disposed.</summary>
        public async Task HoldAsync()
        {
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        /// <summary>Reads until the gateway closes the connection (or the worker is disposed).</summary>
        public async Task ReadToEndAsync()
        {
            while (await stream.ReadAsync(_buffer, stop) > 0)
            {
            }
        }

        private async Task<string?> ReadHeadAsync()
        {
            while (true)
            {
                var text = Encoding.Latin1.GetString([.. _pending]);
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    _pending.RemoveRange(0, end + 4);
                    return text[..end];
                }

                if (!await ReceiveAsync())
                {
                    return null;
                }
            }
        }

        private async Task DrainBodyAsync(string head)
        {
            var length = ContentLength(head);
            while (_pending.Count < length)
            {
                if (!await ReceiveAsync())
                {
                    return;
                }
            }

            _pending.RemoveRange(0, length);
        }

        private async Task<bool> ReceiveAsync()
        {
            var read = await stream.ReadAsync(_buffer, stop);
            _pending.AddRange(_buffer.AsSpan(0, read));
            return read > 0;
        }

        private static int ContentLength(string head)
        {
            foreach (var line in head.Split("\r\n"))
            {
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                {
                    return int.Parse(line["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
                }
            }

            return 0;
        }
    }
}
