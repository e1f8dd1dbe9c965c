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
    private int _state;

    /// <summary><c>x-fc-function-type</c> of a handler invocation.</summary>
    public const string HandlerType = "0";

    /// <summary><c>x-fc-function-type</c> of an initializer invocation.</summary>
    public const string InitializerType = "1";

    /// <summary><c>x-fc-function-type</c> of a pre-stop invocation (wire contract §13).</summary>
    public const string PreStopType = "2";

    /// <summary><c>x-fc-function-type</c>: <see cref="HandlerType"/>, <see cref="InitializerType"/> or <see cref="PreStopType"/>.</summary>
    public string FunctionType { get; }

    public PulledInvocation(
        string requestId, string functionName, FunctionSettings function, GatewaySettings gateway, WorkerPayload payload, PooledBuffer output,
        DateTimeOffset deadline, string functionType = HandlerType)
    {
        FunctionType = functionType;
        RequestId = requestId;
        FunctionName = functionName;
        Function = function;
        Gateway = gateway;
        Payload = payload;
        Output = output;
        Deadline = deadline;
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

    /// <summary>When the invocation times out (<c>x-fc-function-deadline</c>).</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>Completes when the invocation was answered or given up on.</summary>
    public Task<InvocationResult> Result => _result.Task;

    /// <summary>Hands it to a poll; false when it was given up on (or already handed out).</summary>
    public bool TryDeliver() => Interlocked.CompareExchange(ref _state, Delivered, Posted) == Posted;

    /// <summary>Takes back an invocation whose poll went away before it was sent; false when it was given up on meanwhile.</summary>
    public bool TryReturn() => Interlocked.CompareExchange(ref _state, Posted, Delivered) == Delivered;

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
    public void Abandon(InvocationResult undelivered, InvocationResult delivered)
    {
        if (Interlocked.CompareExchange(ref _state, Finished, Posted) == Posted)
        {
            _result.TrySetResult(undelivered);
        }
        else if (Interlocked.CompareExchange(ref _state, Finished, Delivered) == Delivered)
        {
            _result.TrySetResult(delivered);
        }
    }
}
