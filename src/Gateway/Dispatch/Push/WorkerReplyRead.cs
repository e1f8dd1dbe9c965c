namespace FcGateway.Dispatch.Push;

/// <summary>A worker's reply as read for an invocation, whichever client carried it; the body is in the invocation's output.</summary>
/// <param name="Head">What the reply is judged by.</param>
/// <param name="UnreadableBody">
/// Why the reply's body cannot be the output (a Content-Length that cannot frame it, a content coding), else null; the
/// body was not read.
/// </param>
/// <param name="BodyFits">False when the body is longer than the gateway takes; it was read no further.</param>
internal readonly record struct WorkerReplyRead(WorkerReplyHead Head, string? UnreadableBody, bool BodyFits);
