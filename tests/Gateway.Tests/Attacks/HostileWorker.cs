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
        private readonly RawRequestReader _reader = new(stream);

        /// <summary>The last invocation's request head.</summary>
        public string Head { get; private set; } = "";

        /// <summary>Reads the next invocation's head (health probes on the way are answered); false once the connection ends.</summary>
        public async Task<bool> ReadInvocationHeadAsync()
        {
            while (await _reader.ReadHeadAsync(stop) is { } head)
            {
                if (head.StartsWith("POST /invoke ", StringComparison.Ordinal))
                {
                    Head = head;
                    Interlocked.Increment(ref worker._invocations);
                    return true;
                }

                await _reader.SkipBodyAsync(head, stop);
                await WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }

            return false;
        }

        /// <summary>Reads the rest of the last invocation's body.</summary>
        public Task DrainBodyAsync() => _reader.SkipBodyAsync(Head, stop);

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
        public Task ReadToEndAsync() => _reader.ReadToEndAsync(stop);
    }
}
