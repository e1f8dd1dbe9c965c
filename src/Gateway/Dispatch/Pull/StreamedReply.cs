using System.IO.Pipelines;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The hand-off of a response a Lambda function streams (wire contract §14: aws-lambda-go's
/// <c>LambdaFunctionURLStreamingResponse</c>, Node's <c>streamifyResponse</c>) from the runtime API, where the function
/// posts it, to the HTTP trigger that asked for it, which sends it on to its client as it comes. The runtime API reads
/// the prelude (status, headers, cookies) into the invocation's output, <see cref="Start"/>s the hand-off with the rest
/// of the body unread, completes the invocation, and waits for <see cref="Ended"/> before it answers the function. The
/// trigger reads <see cref="Body"/> to its end (or stops) and always calls <see cref="End"/>, once, with how it went;
/// the runtime API then drops or cuts what is left, answers the function, and calls <see cref="Finish"/>, which frees
/// a launched instance. Lambda's InvokeWithResponseStream takes a streamed body whole instead, prelude included
/// (<see cref="TakesWholeBody"/>), for its caller reads it as the function wrote it.
/// </summary>
/// <param name="takesWholeBody">Whether the runtime API hands over the whole body, its prelude unread, rather than its head read.</param>
internal sealed class StreamedReply(bool takesWholeBody = false)
{
    private readonly TaskCompletionSource<StreamEnd> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<InvocationResult> _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PipeReader? _body;
    private Func<InvocationResult?> _failureAtEnd = static () => null;

    /// <summary>True once the runtime API handed over a streamed body: the invocation's output then holds its head only.</summary>
    public bool IsStarted => _body is not null;

    /// <summary>Whether the runtime API hands over the whole body, its prelude unread, and leaves the output empty.</summary>
    public bool TakesWholeBody => takesWholeBody;

    /// <summary>The <c>Content-Type</c> the function gave its streamed body.</summary>
    public string? ContentType { get; private set; }

    /// <summary>The rest of the function's body, after its prelude (all of it when <see cref="TakesWholeBody"/>).</summary>
    public PipeReader Body => _body ?? throw new InvalidOperationException("The streamed reply has not started.");

    /// <summary>Fires when the invocation's deadline passes or the function's connection goes away.</summary>
    public CancellationToken Stopped { get; private set; }

    /// <summary>Fires when the function's connection goes away (so <see cref="Stopped"/> firing without it is the deadline).</summary>
    public CancellationToken FunctionGone { get; private set; }

    /// <summary>Completes once the trigger has sent the body on or stopped: how it ended.</summary>
    public Task<StreamEnd> Ended => _ended.Task;

    /// <summary>
    /// Completes once the runtime API is done with the function's response, a body the trigger did not take read and
    /// dropped or cut: the function is free for its next invocation. The result is how its invocation ended.
    /// </summary>
    public Task<InvocationResult> Finished => _finished.Task;

    /// <summary>
    /// Hands the body over; called by the runtime API before it completes the invocation. <paramref name="failureAtEnd"/>
    /// says, once the body was read to its end, whether the function reported a failure while producing it.
    /// </summary>
    public void Start(PipeReader body, string? contentType, Func<InvocationResult?> failureAtEnd, CancellationToken stopped, CancellationToken functionGone)
    {
        ContentType = contentType;
        Stopped = stopped;
        FunctionGone = functionGone;
        _failureAtEnd = failureAtEnd;
        _body = body;
    }

    /// <summary>The failure the function reported with the end of its body (its error trailers), or null.</summary>
    public InvocationResult? FailureAtEnd() => _failureAtEnd();

    /// <summary>Says how the sending ended; only the first call counts.</summary>
    public void End(StreamEnd end) => _ended.TrySetResult(end);

    /// <summary>Says the runtime API is done with the function's response; only the first call counts.</summary>
    public void Finish(InvocationResult result) => _finished.TrySetResult(result);
}

/// <summary>How a streamed reply's sending ended.</summary>
/// <param name="Result">Success, or why it failed (the function's error trailers, its timeout, its connection, the size limit, the client).</param>
/// <param name="Rest">What the runtime API does with the part of the body the trigger did not read.</param>
internal readonly record struct StreamEnd(InvocationResult Result, StreamRest Rest);

/// <summary>What becomes of the part of a streamed body the trigger did not read.</summary>
internal enum StreamRest
{
    /// <summary>There is none: the body was read to its end.</summary>
    None,

    /// <summary>Read and dropped (the client went away, or takes no body), so that the function's request ends as it should.</summary>
    Dropped,

    /// <summary>Not read: the function's connection is cut (the deadline passed, the size limit was reached, the connection broke).</summary>
    Cut,
}
