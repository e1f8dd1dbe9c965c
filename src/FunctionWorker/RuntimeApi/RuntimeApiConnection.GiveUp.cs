using System.Net.Sockets;

namespace FcWorker.RuntimeApi;

/// <summary>The stop of a loop whose poll is outstanding: sent along with its last reply, or waiting for its answer.</summary>
internal sealed partial class RuntimeApiConnection
{
    /// <summary>
    /// Ends the sending side only: the runtime API sees the connection go before it answered, as a poll abandoned at stop
    /// (the gateway's hands the poll no call, or fails the one it was writing as the worker crashed), while a call it
    /// answered before is still read, to be run, rather than dropped with a connection it counted it delivered on. The
    /// wait for its answer or its close is bounded by the host's shutdown timeout.
    /// </summary>
    public async Task<RuntimeApiAnswer?> GiveUpPollAsync()
    {
        if (!_pollSent)
        {
            return null;
        }

        _pollSent = false;
        try
        {
            _socket!.Shutdown(SocketShutdown.Send);
            if (_end == _start && !await ReceiveAsync(CancellationToken.None).ConfigureAwait(false))
            {
                Close();
                return null;
            }
        }
        catch (SocketException)
        {
            // Reset before any byte of an answer: it answered nothing either.
            Close();
            return null;
        }

        try
        {
            var head = await ReadHeadAsync(collectHeaders: true, CancellationToken.None).ConfigureAwait(false);
            return new RuntimeApiAnswer(head.StatusCode, head.Headers!, head.ContentLength, StartBody(head with { KeepsConnection = false }));
        }
        catch (Exception exception)
        {
            Close();
            if (AsRequestFailure(exception) is { } failure)
            {
                throw failure;
            }

            throw;
        }
    }
}
