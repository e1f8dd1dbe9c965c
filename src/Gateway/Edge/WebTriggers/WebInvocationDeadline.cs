namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// The token a web invocation is forwarded under: it fires at the function timeout or when the client goes away, and
/// remembers which came first. YARP aborts the client's connection itself when forwarding fails after the response
/// started, so "the client is gone" alone does not say the client left first.
/// </summary>
internal sealed class WebInvocationDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _clientGone;
    private volatile bool _clientLeftFirst;

    public WebInvocationDeadline(TimeSpan timeout, TimeProvider timeProvider, CancellationToken clientAborted)
    {
        _source = new CancellationTokenSource(timeout, timeProvider);
        _clientGone = clientAborted.UnsafeRegister(static state => ((WebInvocationDeadline)state!).ClientWentAway(), this);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>The client went away before the timeout (or any abort of YARP's own) ended the invocation.</summary>
    public bool ClientLeftFirst => _clientLeftFirst;

    /// <summary>The function timeout fired before the client went away.</summary>
    public bool TimedOut => _source.IsCancellationRequested && !_clientLeftFirst;

    public void Dispose()
    {
        _clientGone.Dispose();
        _source.Dispose();
    }

    private void ClientWentAway()
    {
        if (!_source.IsCancellationRequested)
        {
            _clientLeftFirst = true;
            _source.Cancel();
        }
    }
}
