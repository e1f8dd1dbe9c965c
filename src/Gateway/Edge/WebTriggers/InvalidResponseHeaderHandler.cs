using System.Net.Http.Headers;
using FcGateway.Dispatch.Push;
using FcGateway.Http;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// Drops a web worker's response header whose value HTTP does not allow (a control character, a byte outside ASCII such
/// as raw UTF-8), as a function's output header is dropped (wire contract §3): the server refuses to write such a value,
/// so YARP's copy of the headers would fail the whole response with a 502. The fields that frame the body stay, so a
/// response that cannot be framed still fails. Requests a web trigger did not mark with <see cref="DropInvalidValues"/>
/// (event-mode invocations, whose reply headers the gateway reads itself) pass unchanged.
/// </summary>
internal sealed partial class InvalidResponseHeaderHandler(HttpMessageHandler inner, ILogger logger) : DelegatingHandler(inner)
{
    public static readonly HttpRequestOptionsKey<bool> DropInvalidValues = new("FcGateway.DropInvalidResponseHeaderValues");

    /// <remarks>
    /// An event-mode invocation passes with no await of this handler's: its content is the gateway's own, and its request's
    /// Options (an HttpRequestOptions and its dictionary, made on first reading) are not made for it.
    /// </remarks>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        request.Content is not WorkerPayload && request.Options.TryGetValue(DropInvalidValues, out var drop) && drop
            ? SendDroppingInvalidValuesAsync(request, cancellationToken)
            : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendDroppingInvalidValuesAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        List<(HttpHeaders Headers, string Name)>? invalid = null;
        FindInvalid(response.Headers, ref invalid);
        FindInvalid(response.Content.Headers, ref invalid);
        if (invalid is not null)
        {
            Log.ResponseHeadersDropped(logger, SentHeader(request, WorkerHeaderNames.RequestId), SentHeader(request, WorkerHeaderNames.FunctionName),
                LogText.EscapeNames(invalid.Select(header => header.Name)));
            foreach (var (headers, name) in invalid)
            {
                headers.Remove(name);
            }
        }

        return response;
    }

    private static void FindInvalid(HttpHeaders headers, ref List<(HttpHeaders Headers, string Name)>? invalid)
    {
        foreach (var header in headers.NonValidated)
        {
            if (!IsFraming(header.Key) && !AreValid(header.Value))
            {
                (invalid ??= []).Add((headers, header.Key));
            }
        }
    }

    /// <summary>Whether every value of a field is one HTTP allows, which the server can write.</summary>
    public static bool AreValid(HeaderStringValues values)
    {
        foreach (var value in values)
        {
            if (!HttpTokens.IsValidFieldValue(value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsFraming(string name) =>
        name.Equals(HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase) || name.Equals(HeaderNames.TransferEncoding, StringComparison.OrdinalIgnoreCase);

    private static string SentHeader(HttpRequestMessage request, string name) =>
        request.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : "";

    private static partial class Log
    {
        [LoggerMessage(EventIds.ResponseHeaderDropped, LogLevel.Warning, "Request {RequestId}: function {FunctionName} returned invalid response headers, which were dropped: {HeaderNames}.")]
        public static partial void ResponseHeadersDropped(ILogger logger, string requestId, string functionName, string headerNames);
    }
}
