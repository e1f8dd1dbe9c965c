using System.Net.Sockets;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// A web worker that is only a TCP listener on 127.0.0.1:0: for each request head it reads it writes the bytes
/// the test chose for that request line, as they are — for what a Kestrel worker will not send (interim responses,
/// a 101 on a plain request). Requests must carry no body. With <c>closeAfterReply</c> each connection is closed once
/// its first reply is written, for a reply framed by the connection's end. Disposing stops the listener and every
/// connection.
/// </summary>
public sealed class CannedResponseWorker : LoopbackTcpWorker
{
    private readonly Func<string, string> _respond;
    private readonly bool _closeAfterReply;

    private CannedResponseWorker(Func<string, string> respond, bool closeAfterReply)
    {
        _respond = respond;
        _closeAfterReply = closeAfterReply;
    }

    /// <param name="respond">Gets the request line (<c>GET /echo/x HTTP/1.1</c>), returns the response bytes as Latin-1 text.</param>
    /// <param name="closeAfterReply">Close each connection once its first reply is written.</param>
    public static CannedResponseWorker Start(Func<string, string> respond, bool closeAfterReply = false)
    {
        var worker = new CannedResponseWorker(respond, closeAfterReply);
        worker.Listen();
        return worker;
    }

    protected override async Task ServeAsync(NetworkStream stream)
    {
        var pending = "";
        var buffer = new byte[4096];
        while (true)
        {
            var end = pending.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0)
            {
                var read = await stream.ReadAsync(buffer, Stop.Token);
                if (read == 0)
                {
                    return;
                }

                pending += Encoding.Latin1.GetString(buffer, 0, read);
                continue;
            }

            var requestLine = pending[..pending.IndexOf("\r\n", StringComparison.Ordinal)];
            pending = pending[(end + 4)..];
            await stream.WriteAsync(Encoding.Latin1.GetBytes(_respond(requestLine)), Stop.Token);
            if (_closeAfterReply)
            {
                return;
            }
        }
    }
}
