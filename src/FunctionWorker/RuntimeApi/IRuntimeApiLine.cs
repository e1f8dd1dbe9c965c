namespace FcWorker.RuntimeApi;

/// <summary>One poll loop's line to the runtime API: its polls for the next call, and its replies.</summary>
internal interface IRuntimeApiLine : IDisposable
{
    /// <summary>Asks for the next call; the answer's body is left unread, to be streamed into the handler's event.</summary>
    Task<RuntimeApiAnswer> NextAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Posts a call's outcome (<see cref="RuntimeApiClient.Response"/> or <see cref="RuntimeApiClient.Error"/>) to the path of
    /// its request id and returns the status it was answered with; <paramref name="thenPoll"/> says the loop polls next,
    /// which a line may send along with the post.
    /// </summary>
    Task<int> PostAsync(string requestId, string outcome, ReplyBody body, bool thenPoll, CancellationToken cancellationToken);

    /// <summary>
    /// On stop, gives up the poll still outstanding, if any (sent along with the last post, or one whose wait for its
    /// answer the stop cancelled): returns what the runtime API answered it before it saw the line go, to be run, or null
    /// when it answered nothing.
    /// </summary>
    Task<RuntimeApiAnswer?> GiveUpPollAsync();
}
