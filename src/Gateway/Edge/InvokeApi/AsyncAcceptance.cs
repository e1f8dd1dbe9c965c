namespace FcGateway.Edge.InvokeApi;

/// <summary>What <see cref="AsyncInvocations.TryAccept"/> did with an invocation.</summary>
internal enum AsyncAcceptance
{
    /// <summary>It runs in the background: 202.</summary>
    Accepted,

    /// <summary>As many as <c>MaxPendingAsyncInvocations</c> are pending already: 429 ResourceExhausted.</summary>
    TooManyPending,

    /// <summary>The gateway is stopping: 503 ResourceThrottled.</summary>
    Stopping,
}
