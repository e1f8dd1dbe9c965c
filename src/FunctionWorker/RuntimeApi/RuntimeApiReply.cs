using FcWorker.Invocation;
using FcWorker.Responses;
using Microsoft.Extensions.Logging;

namespace FcWorker.RuntimeApi;

/// <summary>
/// The reply of a pulled call: its output posted to <c>{id}/response</c>, or FC's error body (<c>application/json</c>)
/// to <c>{id}/error</c>. A post the runtime API refuses (say, the deadline has passed) or cannot take is logged,
/// never thrown: the call is over either way, and the loop goes on to the next, whose poll the post carries along
/// unless the worker is stopping.
/// </summary>
internal sealed partial class RuntimeApiReply(IRuntimeApiLine line, Uri address, string requestId, ILogger logger, CancellationToken stopping) : IPlatformReply
{
    public Task SucceedAsync(FunctionOutput output, CancellationToken cancellationToken) =>
        PostAsync(RuntimeApiClient.Response, ReplyBody.Of(output), cancellationToken);

    public Task FailAsync(FcErrorBody error) =>
        PostAsync(RuntimeApiClient.Error, new ReplyBody(ContentTypes.Json, error.ToJson()), CancellationToken.None);

    private async Task PostAsync(string outcome, ReplyBody body, CancellationToken cancellationToken)
    {
        try
        {
            var status = await line.PostAsync(requestId, outcome, body, thenPoll: !stopping.IsCancellationRequested, cancellationToken).ConfigureAwait(false);
            if (status is < 200 or > 299)
            {
                Log.Refused(logger, outcome, requestId, status);
            }
        }
        catch (HttpRequestException exception)
        {
            Log.Undelivered(logger, outcome, requestId, address, exception);
        }
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
