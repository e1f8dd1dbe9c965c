using System.Diagnostics;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch.Push;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// One invocation on its way through the runtime API (wire contract §13): posted to a mailbox, handed to a poll
/// (<c>next</c>), answered once (<c>response</c> or <c>error</c>) — or given up on by the gateway. Each step is one
/// compare-and-swap, so a late, duplicate or abandoned step changes nothing.
/// </summary>
internal sealed class PulledInvocation
{
    private const int Posted = 0;
    private const int Delivered = 1;
    private const int Replying = 2;
    private const int Finished = 3;

    private readonly TaskCompletionSource<InvocationResult> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _sendingEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeProvider? _handOffClock;
    private long _deadlineTicks;
    private string? _invocationId;
    private int _state;
    private int _sending;
    private LinkedListNode<PulledInvocation>? _waitingNode;

    /// <summary><c>x-fc-function-type</c> of a handler invocation.</summary>
    public const string HandlerType = "0";

    /// <summary><c>x-fc-function-type</c> of an initializer invocation.</summary>
    public const string InitializerType = "1";

    /// <summary><c>x-fc-function-type</c> of a pre-stop invocation (wire contract §13).</summary>
    public const string PreStopType = "2";

    /// <summary><c>x-fc-function-type</c>: <see cref="HandlerType"/>, <see cref="InitializerType"/> or <see cref="PreStopType"/>.</summary>
    public string FunctionType { get; }

    /// <remarks>
    /// The <c>deadline</c> given stands unless a <c>handOffClock</c> is given too: then each hand-off to a poll moves it to
    /// that moment by this clock plus the function's timeout (which counts from the hand-off, as FC counts it, not from the
    /// request).
    /// </remarks>
    public PulledInvocation(
        string requestId, string functionName, FunctionSettings function, GatewaySettings gateway, WorkerPayload payload, PooledBuffer output,
        DateTimeOffset deadline, string functionType = HandlerType, ActivityContext traceContext = default, int retryCount = 0, TimeProvider? handOffClock = null)
    {
        _handOffClock = handOffClock;
        _deadlineTicks = deadline.UtcTicks;
        RetryCount = retryCount;
        TraceContext = traceContext;
        FunctionType = functionType;
        RequestId = requestId;
        FunctionName = functionName;
        Function = function;
        Gateway = gateway;
        Payload = payload;
        Output = output;
    }

    /// <summary>The invocation id of the runtime API's paths: the request id (wire contract §9).</summary>
    public string RequestId { get; }

    public string FunctionName { get; }

    public FunctionSettings Function { get; }

    public GatewaySettings Gateway { get; }

    /// <summary>The body of the <c>next</c> answer.</summary>
    public WorkerPayload Payload { get; }

    /// <summary>Receives the body of <c>response</c> or <c>error</c>; written only by the one reply that claimed it.</summary>
    public PooledBuffer Output { get; }

    /// <summary>The trace the invocation belongs to, handed to the worker with <c>next</c>; default when there is none.</summary>
    public ActivityContext TraceContext { get; }

    /// <summary>The version or alias the caller named, for <c>Lambda-Runtime-Invoked-Function-Arn</c> (<see cref="FunctionTarget.InvokedQualifier"/>).</summary>
    public string? InvokedQualifier { get; init; }

    /// <summary>The caller's client context, for <c>Lambda-Runtime-Client-Context</c> (<see cref="InvocationRequest.ClientContext"/>).</summary>
    public string? ClientContext { get; init; }

    /// <summary>Where a streamed response goes on as it comes (<see cref="InvocationRequest.StreamedReply"/>); null to take it whole.</summary>
    public StreamedReply? StreamedReply { get; init; }

    /// <summary>Runs as a poll takes the invocation, before the worker gets it (Lambda's <c>START</c> line).</summary>
    public Action? Taken { get; init; }

    /// <summary>
    /// Told which instance took the invocation as a poll takes it: at a function's shared address, the instance is
    /// whichever worker polls. Null where the dispatcher chose the instance (a launched one) itself.
    /// </summary>
    public IInvocationObserver? ToldOfTheInstance { get; init; }

    /// <summary>True for an invocation no client waits for (an asynchronous attempt): polls take it only when no client's waits.</summary>
    public bool InBackground { get; init; }

    /// <summary>
    /// Its place in a mailbox's line while it waits for a poll, so that it leaves the line without a search; made the
    /// first time it waits (one handed straight to a waiting poll never does). Used under the mailbox's lock.
    /// </summary>
    public LinkedListNode<PulledInvocation> WaitingNode => _waitingNode ??= new(this);

    /// <summary>The mailbox line it waits in for a poll now, or null.</summary>
    public LinkedList<PulledInvocation>? WaitingIn => _waitingNode?.List;

    /// <summary>
    /// This invocation's own id, apart from the request id an invocation retried under the same one shares
    /// (Lambda's <c>Lambda-Runtime-Invocation-Id</c>): a reply that echoes another is a late one, for an earlier attempt.
    /// </summary>
    public string InvocationId => Volatile.Read(ref _invocationId) ?? Interlocked.CompareExchange(ref _invocationId, Guid.NewGuid().ToString(), null) ?? _invocationId;

    /// <summary>How many times it failed in the function before (<c>x-fc-retry-count</c>).</summary>
    public int RetryCount { get; }

    /// <summary>When the invocation times out (<c>x-fc-function-deadline</c>); counted from the hand-off, it is set by each one.</summary>
    public DateTimeOffset Deadline => new(Volatile.Read(ref _deadlineTicks), TimeSpan.Zero);

    /// <summary>True while a poll holds it (taken, its reply not yet ended).</summary>
    public bool IsDelivered => Volatile.Read(ref _state) is Delivered or Replying;

    /// <summary>Completes when the invocation was answered or given up on.</summary>
    public Task<InvocationResult> Result => _result.Task;

    /// <summary>The address whose poll took it, where its reply must come; null before a poll took it.</summary>
    public RuntimeApiMailbox? DeliveredFrom { get; set; }

    /// <summary>True once it has ended (answered, or given up on).</summary>
    public bool IsFinished => Volatile.Read(ref _state) == Finished;

    /// <summary>
    /// Completes when no poll is sending the payload any more (at once if none ever took it): until then the buffers
    /// behind the payload are still read, whatever became of the invocation.
    /// </summary>
    public Task SendingEnded => Volatile.Read(ref _sending) == 0 ? Task.CompletedTask : Volatile.Read(ref _sendingEnded).Task;

    /// <summary>
    /// Hands it to a poll, which then owns the sending of its payload until <see cref="EndSending"/>; false when it was
    /// given up on (or already handed out).
    /// </summary>
    public bool TryDeliver()
    {
        // Marked as being sent before it can be seen as delivered, so that whoever gives up on it waits for the send.
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _sendingEnded, sending);
        Volatile.Write(ref _sending, 1);
        if (_handOffClock is { } clock)
        {
            // Set before it can be seen as delivered: whoever sees it taken sees its deadline.
            Volatile.Write(ref _deadlineTicks, (clock.GetUtcNow() + Function.Timeout).UtcTicks);
        }

        if (Interlocked.CompareExchange(ref _state, Delivered, Posted) == Posted)
        {
            return true;
        }

        sending.TrySetResult();
        return false;
    }

    /// <summary>The poll that took it has finished sending its payload (or never will).</summary>
    public void EndSending() => Volatile.Read(ref _sendingEnded).TrySetResult();

    /// <summary>Takes back an invocation whose poll went away before it was sent; false when it was given up on meanwhile.</summary>
    public bool TryReturn()
    {
        if (Interlocked.CompareExchange(ref _state, Posted, Delivered) != Delivered)
        {
            return false;
        }

        EndSending();
        return true;
    }

    /// <summary>Gives up on it only if no poll has taken it yet; false when one has.</summary>
    public bool TryAbandonUndelivered(InvocationResult result)
    {
        if (Interlocked.CompareExchange(ref _state, Finished, Posted) != Posted)
        {
            return false;
        }

        _result.TrySetResult(result);
        return true;
    }

    /// <summary>Claims the one reply; false for a reply before delivery, a second reply, or one after giving up.</summary>
    public bool TryClaimReply() => Interlocked.CompareExchange(ref _state, Replying, Delivered) == Delivered;

    /// <summary>Ends the invocation with the claimed reply's result.</summary>
    public void CompleteReply(InvocationResult result)
    {
        Volatile.Write(ref _state, Finished);
        _result.TrySetResult(result);
    }

    /// <summary>Ends a delivered invocation that can no longer be answered (its poll broke while sending it).</summary>
    public void Fail(InvocationResult result) => Abandon(result, result);

    /// <summary>
    /// Gives up on it, with <paramref name="undelivered"/> if no poll took it yet, else <paramref name="delivered"/>. A reply
    /// being read when it gives up completes it instead: either way <see cref="Result"/> is complete soon after.
    /// </summary>
    /// <returns>True when this ended it; false when it had ended already, or a reply being read ends it.</returns>
    public bool Abandon(InvocationResult undelivered, InvocationResult delivered)
    {
        if (Interlocked.CompareExchange(ref _state, Finished, Posted) == Posted)
        {
            _result.TrySetResult(undelivered);
            return true;
        }

        if (Interlocked.CompareExchange(ref _state, Finished, Delivered) == Delivered)
        {
            _result.TrySetResult(delivered);
            return true;
        }

        return false;
    }
}
