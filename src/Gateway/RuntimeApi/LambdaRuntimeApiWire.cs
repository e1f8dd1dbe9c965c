using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Push;
using FcGateway.Http;
using FcGateway.Outcomes;

namespace FcGateway.RuntimeApi;

/// <summary>
/// AWS Lambda's runtime API 2018-06-01 (wire contract §14): the <c>Lambda-Runtime-*</c> headers on <c>next</c>, replies
/// taken with 202, a failure while streaming a response reported in its trailers, and a streamed function URL response
/// (<see cref="StreamedHttpResponse"/>), sent on as it comes to an HTTP trigger's client and taken whole otherwise.
/// </summary>
internal sealed class LambdaRuntimeApiWire : RuntimeApiWire
{
    public const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";
    public const string DeadlineHeader = "Lambda-Runtime-Deadline-Ms";
    public const string FunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";
    public const string TraceIdHeader = "Lambda-Runtime-Trace-Id";
    public const string ClientContextHeader = "Lambda-Runtime-Client-Context";
    /// <summary>A header on <c>error</c>, a trailer on a <c>response</c> that failed while it was streamed.</summary>
    public const string FunctionErrorType = "Lambda-Runtime-Function-Error-Type";

    /// <summary>A trailer: the error document of a streamed <c>response</c> that failed, in base64.</summary>
    public const string FunctionErrorBody = "Lambda-Runtime-Function-Error-Body";

    /// <summary>A header on a <c>response</c> the function streams: <c>streaming</c>.</summary>
    public const string ResponseModeHeader = "Lambda-Runtime-Function-Response-Mode";

    public override RuntimeApiProtocol Protocol => RuntimeApiProtocol.Lambda;

    public override string VersionPath => "/2018-06-01/runtime";

    /// <summary>What Lambda's runtime API answers with its 202, which .NET's runtime client deserialises after <c>error</c> and <c>init/error</c>.</summary>
    private static readonly byte[] AcceptedDocument = """{"status":"OK"}"""u8.ToArray();

    public override void AcceptReply(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status202Accepted;
        response.ContentType = "application/json";
        response.ContentLength = AcceptedDocument.Length;
        response.BodyWriter.Write(AcceptedDocument);
    }

    private const string StreamFailedReason = "The function failed while sending its response (error trailers).";

    /// <summary>The function's ARN, ending with <paramref name="qualifier"/> (a version or alias) when there is one.</summary>
    public static string FunctionArn(GatewaySettings gateway, string functionName, string? qualifier = null) => qualifier is null
        ? $"arn:aws:lambda:{gateway.Region}:{gateway.AccountId}:function:{functionName}"
        : $"arn:aws:lambda:{gateway.Region}:{gateway.AccountId}:function:{functionName}:{qualifier}";

    /// <summary>
    /// Lambda's invocation id on <c>next</c>, which its runtime clients echo on <c>response</c> and <c>error</c> (those of
    /// 2026 on): a reply whose id is another's is for an earlier attempt under the same request id, which timed out.
    /// </summary>
    public const string InvocationIdHeader = "Lambda-Runtime-Invocation-Id";

    /// <summary>Lambda's answer to a reply that comes after its invocation timed out: 410, which its runtime clients take in their stride.</summary>
    public override (int Status, string Message, string ErrorType)? LateReply => (StatusCodes.Status410Gone, "Invoke timeout", "InvokeTimeout");

    /// <summary>The error types Lambda's runtime API gives these refusals.</summary>
    public override string? RefusalErrorType(ReplyRefusal refusal) => refusal switch
    {
        ReplyRefusal.NotInFlight => "InvalidRequestID",
        ReplyRefusal.AlreadyAnswered => "InvalidStateTransition",
        ReplyRefusal.TooLarge => "RequestEntityTooLarge",
        _ => null,
    };

    /// <summary>
    /// Lambda's statuses for these refusals: 400 for a reply to no invocation in flight, 403 for a reply while the first is
    /// read, 413 for one over the limit. Its runtime interface emulator, which keeps the state of its one runtime, answers
    /// 400 to an id other than the one its runtime holds but 403 to any reply while the runtime holds none (a second reply
    /// before the next poll among them); an address of the gateway may serve many processes, so it keeps no such state.
    /// </summary>
    public override int RefusalStatus(ReplyRefusal refusal) => refusal switch
    {
        ReplyRefusal.NotInFlight => StatusCodes.Status400BadRequest,
        ReplyRefusal.AlreadyAnswered => StatusCodes.Status403Forbidden,
        _ => base.RefusalStatus(refusal),
    };

    public override bool IsForAnEarlierAttempt(HttpRequest request, PulledInvocation invocation) =>
        request.Headers[InvocationIdHeader] is { Count: > 0 } echoed && !string.Equals(echoed.ToString(), invocation.InvocationId, StringComparison.Ordinal);

    public override void WriteInvocationHeaders(IHeaderDictionary headers, PulledInvocation invocation)
    {
        headers[RequestIdHeader] = invocation.RequestId;
        headers[InvocationIdHeader] = invocation.InvocationId;
        // Every invocation has a deadline of its own: formatted each time, never kept in HeaderNumbers' cache.
        headers[DeadlineHeader] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers[FunctionArnHeader] = FunctionArn(invocation.Gateway, invocation.FunctionName, invocation.InvokedQualifier);
        if (invocation.TraceContext != default)
        {
            headers[TraceIdHeader] = TraceContextHeaders.XRay(invocation.TraceContext);
        }

        if (invocation.ClientContext is { } clientContext)
        {
            headers[ClientContextHeader] = clientContext;
        }

        headers.ContentType = "application/json";
    }

    public override InvocationResult CompleteResponse(HttpRequest request, PooledBuffer output)
    {
        if (StreamedFailureType(request, output) is { } errorType)
        {
            return new(Outcome.FunctionError, StreamFailedReason, ErrorType: errorType);
        }

        if (StreamedHttpResponse.IsOne(request.ContentType) && !StreamedHttpResponse.TryRewrite(output))
        {
            return new(Outcome.BadResponse, "The function's streamed response has no prelude (no eight zero bytes after its JSON head).");
        }

        return InvocationResult.Success;
    }

    public override bool IsStreamedResponse(HttpRequest request) => StreamedHttpResponse.IsOne(request.ContentType);

    /// <summary>
    /// A body streamed without a prelude (Node's <c>streamifyResponse</c> writing to its stream without
    /// <c>HttpResponseStream.from</c>, its content type set by <c>setContentType</c>): a function URL in
    /// <c>RESPONSE_STREAM</c> mode sends it as it comes, with status 200 and that <c>Content-Type</c>.
    /// </summary>
    public override bool IsStreamedBodyOnly(HttpRequest request) =>
        !StreamedHttpResponse.IsOne(request.ContentType)
        && string.Equals(request.Headers[ResponseModeHeader], "streaming", StringComparison.OrdinalIgnoreCase);

    /// <summary>The error trailers' failure: their type, and the message of the error document they may carry (<see cref="DecodeErrorBody"/>).</summary>
    public override InvocationResult? StreamFailure(HttpRequest request) => FailureTrailer(request) is { } errorType
        ? new(Outcome.FunctionError, StreamFailedReason, ErrorType: errorType, ErrorMessage: TrailerErrorMessage(request))
        : null;

    private static string? TrailerErrorMessage(HttpRequest request)
    {
        var errorBody = request.GetTrailer(FunctionErrorBody).ToString();
        var decoded = new byte[ErrorBodyBytes(errorBody)];
        return errorBody.Length > 0 && DecodeErrorBody(errorBody, decoded) is var length and >= 0 ? ErrorDocument(decoded.AsSpan(0, length)).Message : null;
    }

    /// <summary>
    /// The error document a <c>Lambda-Runtime-Function-Error-Body</c> trailer carries, written to <paramref name="into"/>
    /// (which holds <see cref="ErrorBodyBytes"/>): in base64, as §14 has it and aws-lambda-go sends it, or the JSON document
    /// itself, as .NET's runtime client sends it. Its length, or -1 when the value is neither.
    /// </summary>
    private static int DecodeErrorBody(string value, Span<byte> into)
    {
        if (Convert.TryFromBase64String(value, into, out var decoded))
        {
            return decoded;
        }

        return value.AsSpan().TrimStart().StartsWith('{') ? Encoding.UTF8.GetBytes(value, into) : -1;
    }

    private static int ErrorBodyBytes(string value) => Encoding.UTF8.GetMaxByteCount(value.Length);

    /// <summary>
    /// The error document is the body; the optional <c>Lambda-Runtime-Function-Error-Type</c> header (§14) names the
    /// error's type, which the invocation API's document takes when the body is empty.
    /// </summary>
    public override InvocationResult CompleteError(HttpRequest request, PooledBuffer output) =>
        base.CompleteError(request, output) with { ErrorType = NonEmpty(request.Headers[FunctionErrorType].ToString()) };

    /// <summary>
    /// A process's <c>init/error</c>: the invocations waiting for it fail with the <c>errorMessage</c> and <c>errorType</c>
    /// of the document it posted (Lambda's runtime clients send one), the type from the <c>Lambda-Runtime-Function-Error-Type</c>
    /// header where the body names none, and the body's text as the message where it is not such a document.
    /// </summary>
    public static InvocationResult InitFailure(HttpRequest request, ReadOnlySpan<byte> body)
    {
        var text = WorkerErrorText.From(body);
        var (message, type) = ErrorDocument(body);
        return new(
            Outcome.InitializationFailed,
            text.Length > 0 ? $"The function's process failed to initialize: {text}" : "The function's process failed to initialize (its init/error had no body).",
            ErrorMessage: message ?? (text.Length > 0 ? text : null),
            ErrorType: type ?? NonEmpty(request.Headers[FunctionErrorType].ToString()));
    }

    /// <summary>The string <c>errorMessage</c> and <c>errorType</c> (non-empty) of a JSON object; nulls for anything else.</summary>
    public static (string? Message, string? Type) ErrorDocument(ReadOnlySpan<byte> body)
    {
        string? message = null, type = null;
        try
        {
            var reader = new Utf8JsonReader(body, GatewayJson.ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return (null, null);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessage = reader.ValueTextEquals("errorMessage"u8);
                var isType = reader.ValueTextEquals("errorType"u8);
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    reader.Skip();
                }
                else if (isMessage)
                {
                    message = reader.GetString();
                }
                else if (isType)
                {
                    type = reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            return (null, null);
        }

        return (message, NonEmpty(type ?? ""));
    }

    /// <summary>
    /// aws-lambda-go announces the error trailers on every response it streams, and sets them only when producing the
    /// body failed: then the output becomes the error body trailer's document (from base64), or nothing when there is
    /// none, and the error type trailer is returned; null when the response did not fail.
    /// </summary>
    private static string? StreamedFailureType(HttpRequest request, PooledBuffer output)
    {
        if (FailureTrailer(request) is not { } errorType)
        {
            return null;
        }

        output.Clear();
        var errorBody = request.GetTrailer(FunctionErrorBody).ToString();
        if (errorBody.Length > 0 && DecodeErrorBody(errorBody, output.GetSpan(ErrorBodyBytes(errorBody))) is var decoded and >= 0)
        {
            output.Advance(decoded);
        }

        return errorType;
    }

    /// <summary>The error type trailer of a response read to its end, or null when it has none.</summary>
    private static string? FailureTrailer(HttpRequest request) => request.SupportsTrailers() && request.CheckTrailersAvailable()
        ? NonEmpty(request.GetTrailer(FunctionErrorType).ToString())
        : null;

    private static string? NonEmpty(string value) => value.Length > 0 ? value : null;
}
