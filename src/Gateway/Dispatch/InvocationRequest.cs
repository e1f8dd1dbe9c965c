using FcGateway.Buffers;
using FcGateway.Dispatch.Push;
using FcGateway.Dispatch.Scheduling;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch;

/// <summary>
/// What dispatch needs to run one invocation, and nothing of how it was asked for: a client's HTTP request, the
/// invocation API, or (later) a queue.
/// </summary>
internal sealed class InvocationRequest
{
    /// <summary>The invocation's request id (wire contract §9).</summary>
    public required string RequestId { get; init; }

    /// <summary>The function, the settings snapshot it runs under, and its cluster.</summary>
    public required FunctionTarget Target { get; init; }

    /// <summary>The instances that may serve it (healthy, affinity applied).</summary>
    public required IReadOnlyList<DestinationState> Candidates { get; init; }

    /// <summary>The payload for the worker; when the invocation returns, nothing reads the buffers behind it any more.</summary>
    public required WorkerPayload Payload { get; init; }

    /// <summary>Receives the worker's reply body: the output, or the function's error body.</summary>
    public required PooledBuffer Output { get; init; }

    /// <summary>How many times the invocation failed in the function before this attempt (<c>x-fc-retry-count</c>): 0 but for a retried asynchronous one.</summary>
    public int RetryCount { get; init; }

    /// <summary>
    /// True for an invocation no client waits for (an asynchronous attempt): it waits for an instance behind every
    /// invocation a client waits for, in a line of its own that <c>MaxQueueLength</c> does not bound; a request may wait,
    /// beyond <c>MaxQueueLength</c>, for each slot one holds, so that a burst of them does not make requests be refused.
    /// </summary>
    public bool InBackground { get; init; }

    /// <summary>How to choose among free instances; null for the least loaded.</summary>
    public IInstancePicker? Picker { get; init; }

    /// <summary>Told of the wait for an instance and of the worker call, or null.</summary>
    public IInvocationObserver? Observer { get; init; }

    /// <summary>
    /// Fires when the gateway gives up on the invocation whatever its worker is doing (the drain at shutdown ran out, or
    /// the shutdown time, for an asynchronous attempt); the cancellation the invocation runs under fires then too. Unlike a
    /// client's going away, it is not waited for: an invocation a worker runs ends at once, its instance not kept taken
    /// until the worker answers.
    /// </summary>
    public CancellationToken Abandoned { get; init; }

    /// <summary>
    /// What a pushed worker call runs under: <see cref="Abandoned"/> for a client's (the drain's end), and
    /// <paramref name="cancellation"/> for one with no client (an asynchronous attempt), whose caller cancels it once it
    /// is on an instance only when it abandons it, and before, as it is placed, to keep it from being sent at all.
    /// </summary>
    public CancellationToken AbandonedOr(CancellationToken cancellation) => InBackground ? cancellation : Abandoned;

    /// <summary>
    /// The caller's client context (the JSON of Lambda's <c>X-Amz-Client-Context</c>), which a Lambda worker gets as
    /// <c>Lambda-Runtime-Client-Context</c>; null for none. Other workers have no such field.
    /// </summary>
    public string? ClientContext { get; init; }

    /// <summary>Receives the log lines the instance wrote while it ran the invocation (<c>x-fc-log-type: Tail</c>), or null when none were asked for.</summary>
    public InvocationLog? Log { get; init; }

    /// <summary>
    /// Where a Lambda function's streamed response is handed over to be sent on as it comes (an HTTP trigger's), or null
    /// to take it whole (<see cref="Pull.StreamedReply"/>).
    /// </summary>
    public Pull.StreamedReply? StreamedReply { get; init; }
}

/// <summary>
/// The log of one invocation, for <c>X-Fc-Log-Result</c>: the last <see cref="Launch.OutputTail.MaxBytes"/> bytes of what
/// a launched instance wrote to stdout and stderr while it ran the invocation. Only launched instances have one: the
/// gateway reads nothing else of a worker's output.
/// </summary>
internal sealed class InvocationLog
{
    /// <summary>The lines, each ended by a line feed; null when the instance was not one the gateway launched.</summary>
    public string? Text { get; set; }
}
