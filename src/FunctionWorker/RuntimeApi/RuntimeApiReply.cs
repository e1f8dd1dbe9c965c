using FcWorker.Invocation;
using FcWorker.Responses;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace FcWorker.RuntimeApi;

/// <summary>
/// The reply of a pulled call: its output posted to <c>{id}/response</c>, or FC's error body (<c>application/json</c>)
/// to <c>{id}/error</c>. A post the runtime API refuses (say, the deadline has passed) or cannot take is logged,
/// never thrown: the call is over either way, and the loop goes on to the next.
/// </summary>
internal sealed partial class RuntimeApiReply(RuntimeApiClient client, string requestId, ILogger logger) : IPlatformReply
{
    public async Task SucceedAsync(FunctionOutput output, CancellationToken cancellationToken)
    {
        using var content = output.Stream is { } stream ? new StreamContent(stream) : (HttpContent)new ReadOnlyMemoryContent(output.Bytes);
        if (output.ContentType is { } contentType)
        {
            // One of the SDK's own content types (ContentTypes), so there is nothing to parse or check.
            content.Headers.TryAddWithoutValidation(HeaderNames.ContentType, contentType);
        }

        await PostAsync(RuntimeApiClient.Response, content, cancellationToken).ConfigureAwait(false);
    }

    public async Task FailAsync(FcErrorBody error)
    {
        using var content = new ByteArrayContent(error.ToJson());
        content.Headers.TryAddWithoutValidation(HeaderNames.ContentType, ContentTypes.Json);
        await PostAsync(RuntimeApiClient.Error, content, CancellationToken.None).ConfigureAwait(false);
    }

    private async Task PostAsync(string outcome, HttpContent content, CancellationToken cancellationToken)
    {
        try
        {
            using var answer = await client.PostAsync(requestId, outcome, content, cancellationToken).ConfigureAwait(false);
            if (!answer.IsSuccessStatusCode)
            {
                Log.Refused(logger, outcome, requestId, (int)answer.StatusCode);
            }
        }
        catch (HttpRequestException exception)
        {
            Log.Undelivered(logger, outcome, requestId, client.Address, exception);
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
