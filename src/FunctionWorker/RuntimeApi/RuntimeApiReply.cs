using FcShared;
using FcWorker.Invocation;
using FcWorker.Responses;
using Microsoft.Extensions.Logging;

namespace FcWorker.RuntimeApi;

/// <summary>
/// The reply of a pulled call: its output posted to <c>{id}/response</c>, or FC's error body (<c>application/json</c>)
/// to <c>{id}/error</c>. Unless the worker is stopping, a reply of declared length asks to be answered with the next
/// invocation (<see cref="RuntimeApiThenNext"/>): sending it ends once its body is written, and the answer is awaited by
/// <see cref="TakeNextAsync"/>, so the call's span and end line do not wait for the next invocation. A post the runtime
/// API refuses (say, the deadline has passed) or cannot take is logged, never thrown: the call is over either way.
/// </summary>
internal sealed partial class RuntimeApiReply(RuntimeApiClient client, string requestId, ILogger logger, CancellationToken stopping)
    : IPlatformReply, IDisposable
{
    private readonly CancellationTokenSource _abandon = new();
    private SentSignalContent? _content;
    private Task<HttpResponseMessage>? _answer;
    private string _outcome = RuntimeApiClient.Response;
    private bool _thenNext;

    public Task SucceedAsync(FunctionOutput output, CancellationToken cancellationToken) => SendAsync(
        RuntimeApiClient.Response,
        output.Stream is { } stream ? new StreamContent(stream) : new ReadOnlyMemoryContent(output.Bytes),
        output.ContentType,
        cancellationToken);

    public Task FailAsync(FcErrorBody error) =>
        SendAsync(RuntimeApiClient.Error, new ByteArrayContent(error.ToJson()), ContentTypes.Json, CancellationToken.None);

    private async Task SendAsync(string outcome, HttpContent body, string? contentType, CancellationToken cancellationToken)
    {
        _outcome = outcome;
        _content = new SentSignalContent(body, contentType);
        _thenNext = !stopping.IsCancellationRequested && body.Headers.ContentLength is not null;
        using (cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _abandon))
        {
            _answer = client.PostAsync(requestId, outcome, _content, _thenNext, _abandon.Token);
            await Task.WhenAny(_content.Sent, _answer).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The next invocation, when the runtime API answered the reply with one; otherwise null (the reply was only
    /// accepted, or refused or lost, which is logged). The worker's stop abandons the wait: the reply was sent by then.
    /// </summary>
    public async Task<RuntimeInvocation?> TakeNextAsync()
    {
        if (_answer is null)
        {
            return null;
        }

        // Only a wait for the next call is abandoned: an answer that is an acceptance comes at once.
        HttpResponseMessage answer;
        using (_thenNext ? stopping.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _abandon) : default)
        {
            try
            {
                answer = await _answer.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception exception)
            {
                // The connection's failure, or the output stream's while it was sent: the loop goes on either way.
                Log.Undelivered(logger, _outcome, requestId, client.Address, exception);
                return null;
            }
        }

        if (answer.IsSuccessStatusCode
            && answer.Headers.NonValidated.TryGetValues(RuntimeApiThenNext.Header, out var marker) && marker.ToString() == RuntimeApiThenNext.Value
            && answer.Headers.NonValidated.TryGetValues(FcHeaderNames.RequestId, out var ids) && ids.ToString() is { Length: > 0 } nextId)
        {
            return RuntimeInvocation.Read(answer, nextId);
        }

        if (!answer.IsSuccessStatusCode)
        {
            Log.Refused(logger, _outcome, requestId, (int)answer.StatusCode);
        }

        answer.Dispose();
        return null;
    }

    public void Dispose()
    {
        _content?.Dispose();
        _abandon.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(WorkerEventIds.RuntimeApiRefusedReply, LogLevel.Warning,
            "The runtime API refused the {Outcome} of RequestId {RequestId} with HTTP {StatusCode}; the invocation may have passed its deadline")]
        public static partial void Refused(ILogger logger, string outcome, string requestId, int statusCode);

        [LoggerMessage(WorkerEventIds.RuntimeApiUndeliveredReply, LogLevel.Warning,
            "The {Outcome} of RequestId {RequestId} could not be posted to the runtime API at {Address}")]
        public static partial void Undelivered(ILogger logger, string outcome, string requestId, Uri address, Exception exception);
    }
}
