using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A function worker that answers each invocation with the bytes a test wrote, as they are: for replies a real HTTP
/// server does not send (chunk extensions, interim heads, a body longer than its length). It reads each request whole
/// (its head and a Content-Length body), so a connection can carry several; it counts the connections that carried an
/// invocation and notes when each ends. The gateway's health probes are answered 200 apart from the script.
/// </summary>
public sealed class WireWorker : LoopbackTcpWorker
{
    private readonly Func<int, string> _respond;
    private readonly Func<int, Task<string>>? _thenWrite;
    private readonly bool _closeAfterReply;
    private readonly List<NetworkStream> _invokeStreams = [];
    private CancellationTokenSource _open = new();
    private int _invocations;
    private int _invokeConnections;
    private int _endedInvokeConnections;
    private int _restsWritten;

    private WireWorker(Func<int, string> respond, Func<int, Task<string>>? thenWrite, bool closeAfterReply)
    {
        _respond = respond;
        _thenWrite = thenWrite;
        _closeAfterReply = closeAfterReply;
    }

    /// <summary>Invocations received so far (each answered once its reply is written).</summary>
    public int Invocations => Volatile.Read(ref _invocations);

    /// <summary>Connections that carried an invocation so far (the gateway's health probes come on connections of their own).</summary>
    public int InvokeConnections => Volatile.Read(ref _invokeConnections);

    /// <summary>Of those, the connections that have ended (closed by either side), the worker's end closed too.</summary>
    public int EndedInvokeConnections => Volatile.Read(ref _endedInvokeConnections);

    /// <summary>How many replies' rests (<c>thenWrite</c>) have been written whole.</summary>
    public int RestsWritten => Volatile.Read(ref _restsWritten);

    /// <summary>Each invocation's request head as received, in order.</summary>
    public List<string> RequestHeads { get; } = [];

    /// <param name="respond">Gets the invocation's number (from 1), returns the reply's bytes as Latin-1 text.</param>
    /// <param name="closeAfterReply">Close each connection once its first reply is written, without saying so in it.</param>
    /// <param name="thenWrite">
    /// Gets the invocation's number, returns what to write after the reply once it completes: the rest of a reply that comes
    /// in two parts, written when the test says (the next request on the connection is read only after it).
    /// </param>
    public static WireWorker Start(Func<int, string> respond, bool closeAfterReply = false, Func<int, Task<string>>? thenWrite = null)
    {
        var worker = new WireWorker(respond, thenWrite, closeAfterReply);
        worker.Listen();
        return worker;
    }

    /// <summary>Closes every connection open now, as a worker's keep-alive timeout does; later ones are served as before.</summary>
    public async Task CloseConnectionsAsync()
    {
        using var open = Interlocked.Exchange(ref _open, new CancellationTokenSource());
        await open.CancelAsync();
        await Eventually.HoldsAsync(() => EndedInvokeConnections == InvokeConnections);
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> (Latin-1 text) on every open connection that carried an invocation, unasked: what
    /// a worker that sends more than its reply puts on a connection after it.
    /// </summary>
    public async Task WriteUnaskedAsync(string bytes)
    {
        NetworkStream[] streams;
        lock (_invokeStreams)
        {
            streams = [.. _invokeStreams];
        }

        foreach (var stream in streams)
        {
            await stream.WriteAsync(Encoding.Latin1.GetBytes(bytes), Stop.Token);
        }
    }

    protected override async Task ServeAsync(NetworkStream stream)
    {
        var invoked = false;
        using var served = CancellationTokenSource.CreateLinkedTokenSource(Stop.Token, Volatile.Read(ref _open).Token);
        try
        {
            var reader = new RawRequestReader(stream);
            while (await reader.ReadHeadAsync(served.Token) is { } head && await reader.SkipBodyAsync(head, served.Token))
            {
                if (!head.StartsWith("POST /invoke ", StringComparison.Ordinal))
                {
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"u8.ToArray(), served.Token);
                    continue;
                }

                if (!invoked)
                {
                    invoked = true;
                    Interlocked.Increment(ref _invokeConnections);
                    lock (_invokeStreams)
                    {
                        _invokeStreams.Add(stream);
                    }
                }

                lock (RequestHeads)
                {
                    RequestHeads.Add(head);
                }

                var invocation = Interlocked.Increment(ref _invocations);
                await stream.WriteAsync(Encoding.Latin1.GetBytes(_respond(invocation)), served.Token);
                if (_thenWrite is not null)
                {
                    await stream.WriteAsync(Encoding.Latin1.GetBytes(await _thenWrite(invocation).WaitAsync(served.Token)), served.Token);
                    Interlocked.Increment(ref _restsWritten);
                }

                if (_closeAfterReply)
                {
                    return;
                }
            }
        }
        finally
        {
            if (invoked)
            {
                lock (_invokeStreams)
                {
                    _invokeStreams.Remove(stream);
                }

                // The socket is closed before the count says so: a test that waits for it knows the worker's end is sent.
                await stream.DisposeAsync();
                Interlocked.Increment(ref _endedInvokeConnections);
            }
        }
    }
}
