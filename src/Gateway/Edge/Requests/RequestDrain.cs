using FcGateway.Dispatch;
using FcGateway.Outcomes;
using Microsoft.Extensions.Options;

namespace FcGateway.Edge.Requests;

/// <summary>
/// The end of the drain of the clients' invocations at shutdown. Once the host's shutdown time (<c>DrainTimeout</c>) runs
/// out, Kestrel aborts every connection it still has, and a request still waiting for its function would be cut with no
/// answer at all. So the drain ends a little earlier (<see cref="AnswerMargin"/>): the invocations still running then are
/// given up on and answered 503 ResourceThrottled, with their request id, while their connections can still carry it.
/// </summary>
internal sealed class RequestDrain : IDisposable
{
    private readonly CancellationTokenSource _ended;
    private readonly CancellationTokenRegistration _stopping;

    public RequestDrain(IHostApplicationLifetime lifetime, IOptions<HostOptions> host, TimeProvider time)
    {
        var drain = host.Value.ShutdownTimeout;
        _ended = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _stopping = lifetime.ApplicationStopping.Register(
            static state => ((RequestDrain)state!).StartCountdown(), this);
        Time = drain - AnswerMargin(drain);
    }

    /// <summary>Fires when the gateway can wait no longer for the clients' invocations.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>How long after the start of the shutdown the drain ends.</summary>
    public TimeSpan Time { get; }

    /// <summary>What the drain leaves of the shutdown time to answer the requests it gives up on: a tenth, at most one second.</summary>
    public static TimeSpan AnswerMargin(TimeSpan shutdownTimeout) =>
        TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerSecond, shutdownTimeout.Ticks / 10));

    /// <summary>A token for the invocation of a client's request: fires when the client goes away or the drain ends.</summary>
    public CancellationTokenSource Link(CancellationToken clientAborted) =>
        CancellationTokenSource.CreateLinkedTokenSource(clientAborted, _ended.Token);

    /// <summary>
    /// The result to answer: an invocation that ended as if its client had gone, when it was the drain's end that cut it
    /// short and the client is still there, is answered 503 ResourceThrottled.
    /// </summary>
    public InvocationResult Judge(InvocationResult result, string function, CancellationToken clientAborted) =>
        result.Outcome == Outcome.ClientClosed && CutShort(clientAborted) ? GaveUp(function) : result;

    /// <summary>Whether the drain has ended while the client is still there: it, not the client, cut a request short.</summary>
    public bool CutShort(CancellationToken clientAborted) => _ended.IsCancellationRequested && !clientAborted.IsCancellationRequested;

    /// <summary>The result of a request the drain's end gave up on: 503 ResourceThrottled, saying why.</summary>
    public static InvocationResult GaveUp(string function) =>
        new(Outcome.NoInstance, $"The gateway is stopping and could wait no longer for function {function}.");

    public void Dispose()
    {
        _stopping.Dispose();
        _ended.Dispose();
    }

    private void StartCountdown()
    {
        try
        {
            _ended.CancelAfter(Time);
        }
        catch (ObjectDisposedException)
        {
            // Disposed with the services: nothing is left to drain.
        }
    }
}
