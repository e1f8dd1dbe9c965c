using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Outcomes;

namespace FcGateway.RuntimeApi;

/// <summary>
/// What one runtime API protocol puts on the wire around the invocations every protocol shares: its version path, the
/// headers of a <c>next</c> answer, the answer that accepts a reply, and where a reply may report a failure besides
/// <c>error</c>. FC's (wire contract §13) and Lambda's (§14) are the two.
/// </summary>
internal abstract class RuntimeApiWire
{
    public abstract RuntimeApiProtocol Protocol { get; }

    /// <summary>The path below a function's (or instance's) prefix where the protocol's routes start.</summary>
    public abstract string VersionPath { get; }

    /// <summary>Tells a worker its reply was taken: the status, and any body the protocol answers with.</summary>
    public abstract void AcceptReply(HttpResponse response);

    /// <summary>
    /// The protocol's own refusal of a reply whose invocation timed out (its status, message and error type); null by
    /// default: such a reply is refused as any for an invocation not in flight.
    /// </summary>
    public virtual (int Status, string Message, string ErrorType)? LateReply => null;

    /// <summary>
    /// The <c>errorType</c> of a refused reply's body, by why it was refused, where the protocol names one; none by
    /// default (the <c>errorMessage</c> alone says why).
    /// </summary>
    public virtual string? RefusalErrorType(ReplyRefusal refusal) => null;

    /// <summary>The status of a refused reply, by why it was refused: 404, 409, 413 and 400 by default.</summary>
    public virtual int RefusalStatus(ReplyRefusal refusal) => refusal switch
    {
        ReplyRefusal.NotInFlight => StatusCodes.Status404NotFound,
        ReplyRefusal.AlreadyAnswered => StatusCodes.Status409Conflict,
        ReplyRefusal.TooLarge => StatusCodes.Status413PayloadTooLarge,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Whether a reply is for an earlier attempt of <paramref name="invocation"/>'s request id; none can be told by default.</summary>
    public virtual bool IsForAnEarlierAttempt(HttpRequest request, PulledInvocation invocation) => false;

    /// <summary>Writes the headers of the <c>next</c> answer that hands <paramref name="invocation"/> to a worker.</summary>
    public abstract void WriteInvocationHeaders(IHeaderDictionary headers, PulledInvocation invocation);

    /// <summary>
    /// How a <c>response</c> whose body was read into <paramref name="output"/> ends the invocation: a success as it is by
    /// default; a protocol may find a failure the worker reported while sending it, or put the output into the form
    /// the function's dialect reads.
    /// </summary>
    public virtual InvocationResult CompleteResponse(HttpRequest request, PooledBuffer output) => InvocationResult.Success;

    /// <summary>
    /// Whether a <c>response</c> is one the protocol lets a function stream, to be sent on as it comes where the invocation
    /// takes it so (<see cref="PulledInvocation.StreamedReply"/>); none by default.
    /// </summary>
    public virtual bool IsStreamedResponse(HttpRequest request) => false;

    /// <summary>
    /// Whether a <c>response</c> is a body the protocol lets a function stream with no head of its own, to be sent on as
    /// it comes, with status 200 and its <c>Content-Type</c>, where the invocation takes it so; none by default.
    /// </summary>
    public virtual bool IsStreamedBodyOnly(HttpRequest request) => false;

    /// <summary>The failure a function reported once it had streamed a response's body (read to its end), or null.</summary>
    public virtual InvocationResult? StreamFailure(HttpRequest request) => null;

    /// <summary>How an <c>error</c> whose body (the error document) was read into <paramref name="output"/> ends the invocation.</summary>
    public virtual InvocationResult CompleteError(HttpRequest request, PooledBuffer output) =>
        new(Outcome.FunctionError, "The function failed (runtime API error).", ErrorContentType: request.ContentType);
}
