namespace FcShared;

/// <summary>
/// The gateway's extension of both runtime APIs (FC's and Lambda's): a <c>response</c> or <c>error</c> sent with
/// <see cref="Header"/> set to <see cref="Value"/> is, once taken, also the worker's next poll. It is answered like
/// <c>next</c> (200, the next invocation's headers and payload) with the same header, instead of with an empty
/// acceptance: one exchange per invocation instead of two. The official runtime clients never send it; a worker that
/// does tells the two answers apart by the header, so a runtime API that ignores it (FC's own) answers as usual and the
/// worker polls <c>next</c>. A refused reply is refused as without it.
/// </summary>
internal static class RuntimeApiThenNext
{
    public const string Header = "X-Gateway-Then-Next";

    public const string Value = "1";
}
