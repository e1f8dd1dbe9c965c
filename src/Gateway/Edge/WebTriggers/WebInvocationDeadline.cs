namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// The token a web invocation is forwarded under: it fires at the function timeout, when the client goes away, or when
/// the drain of the gateway's shutdown ends, and remembers which came first. YARP aborts the client's connection itself
/// when forwarding fails after the response started, so "the client is gone" alone does not say the client left first.
/// </summary>
internal sealed class WebInvocationDeadline : IDisposable
{
    private const int NoneYet = 0;
    private const int ClientLeft = 1;
    private const int DrainEnded = 2;

    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _clientGone;
    private readonly CancellationTokenRegistration _drainEnded;
    private int _endedBy;

    public WebInvocationDeadline(TimeSpan timeout, TimeProvider timeProvider, CancellationToken clientAborted, CancellationToken drainEnded)
    {
        _source = new CancellationTokenSource(timeout, timeProvider);
        _clientGone = clientAborted.UnsafeRegister(static state => ((WebInvocationDeadline)state!).End(ClientLeft), this);
        _drainEnded = drainEnded.UnsafeRegister(static state => ((WebInvocationDeadline)state!).End(DrainEnded), this);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>The client went away before the timeout (or any abort of YARP's own) ended the invocation.</summary>
    public bool ClientLeftFirst => Volatile.Read(ref _endedBy) == ClientLeft;

    /// <summary>The drain of the gateway's shutdown ended the invocation, before the client left or the timeout.</summary>
    public bool DrainEndedFirst => Volatile.Read(ref _endedBy) == DrainEnded;

    /// <summary>The function timeout fired before the client went away or the drain ended.</summary>
    public bool TimedOut => _source.IsCancellationRequested && Volatile.Read(ref _endedBy) == NoneYet;

    public void Dispose()
    {
        _clientGone.Dispose();
        _drainEnded.Dispose();
        _source.Dispose();
    }

    private void End(int cause)
    {
        if (!_source.IsCancellationRequested && Interlocked.CompareExchange(ref _endedBy, cause, NoneYet) == NoneYet)
        {
            _source.Cancel();
        }
    }
}
