using System.Buffers;
using System.Text.Json;
using System.Text;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Edge.InvokeApi;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Responses;
using FcGateway.Edge.Telemetry;
using FcGateway.Http;
using FcGateway.Outcomes;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace FcGateway.Edge.Errors;

/// <summary>
/// The one place that writes error responses: a gateway error as the FC body <c>{"errorCode","errorMessage"}</c> (with
/// FC 3.0's <c>Code</c>, <c>Message</c> and <c>RequestId</c> too where the endpoint carries
/// <see cref="FcInvokeApi.ErrorShape"/>; as Lambda's error where it carries <see cref="LambdaInvokeApi.ErrorShape"/>), a
/// function failure as <c>Internal Server Error</c>, both as <see cref="OutcomeTable"/> describes the outcome. Neither
/// carries details of the cause, which go to the log under the request id. <see cref="RefuseAsync"/> also logs and
/// records the outcome of a request the gateway answers without invoking a function.
/// </summary>
internal sealed class GatewayErrorWriter(GatewaySettingsMonitor settingsMonitor, InvocationTelemetry telemetry, ILogger<GatewayErrorWriter> logger)
{
    private static readonly byte[] FunctionFailedBody = Encoding.UTF8.GetBytes(OutcomeTable.FunctionFailedBody);
    private static readonly JsonEncodedText ErrorCodeName = JsonEncodedText.Encode("errorCode");
    private static readonly JsonEncodedText ErrorMessageName = JsonEncodedText.Encode("errorMessage");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("Code");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("Message");
    private static readonly JsonEncodedText RequestIdName = JsonEncodedText.Encode("RequestId");

    /// <summary>Answers a request the gateway refuses before any invocation: logs why, writes the error, records the outcome.</summary>
    /// <param name="context">The refused request.</param>
    /// <param name="outcome">Which refusal.</param>
    /// <param name="reason">Why, for the log and the <c>errorMessage</c>; client-controlled text in it is escaped in the log.</param>
    public async Task RefuseAsync(HttpContext context, Outcome outcome, string? reason = null)
    {
        var descriptor = OutcomeTable.Of(outcome);
        var level = descriptor.LogLevel;
        if (logger.IsEnabled(level))
        {
            var escaped = LogText.EscapeField(reason ?? descriptor.DefaultMessage);
            RequestRefusalLog.Refused(logger, level, context.TraceIdentifier, descriptor.Name, escaped);
        }

        await WriteAsync(context, outcome, reason);
        telemetry.RecordUnroutedRequest(context, outcome);
    }

    /// <summary>
    /// Writes the error response of <paramref name="outcome"/>; once the response has started, cuts the connection instead.
    /// Over HTTP/2 and HTTP/3 the rest of a body not read yet is read once the request is done with
    /// (<see cref="GatewayRequestFeature.AnsweredWithError"/>).
    /// A client that went away gets its 499 only in the records: the request is aborted, so the server neither writes the
    /// answer nor drains the rest of a body that will not come — it can learn of a reset connection after the gateway
    /// did, and a body read that failed on the reset leaves its reader mid-read, which its drain reports as an error.
    /// </summary>
    public async Task WriteAsync(HttpContext context, Outcome outcome, string? message = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return;
        }

        var descriptor = OutcomeTable.Of(outcome);
        KeepOnlyTheErrorsOwnHeaders(response.Headers, outcome);
        // Before the request middleware has run (a fault in it), the settings in force stand in for the request's.
        var request = context.Features.Get<GatewayRequestFeature>();
        GatewayResponseHeaders.Apply(context, request?.Settings ?? settingsMonitor.Current);
        response.StatusCode = descriptor.StatusCode;
        if (((outcome == Outcome.EntityTooLarge || request?.BodyStopped == true) && IsHttp1(context.Request.Protocol))
            || MalformedRequests.HasAmbiguousFraming(context.Request))
        {
            // The rest of a body over the limit, malformed or too slow is not read to reach the next request (Kestrel reads
            // no further), and where a body's framing is ambiguous nothing after it can be trusted to be a request: the
            // connection closes after this answer, and says so (RFC 9110 §10.1.1), or a keep-alive client would send
            // its next request down a connection that is closing and lose it.
            response.Headers.Connection = "close";
        }

        if (outcome == Outcome.ClientClosed)
        {
            context.Abort();
            return;
        }

        response.ContentType = "application/json";
        if (descriptor.IsFunctionFailure)
        {
            await WriteBodyAsync(context, FunctionFailedBody);
        }
        else
        {
            await WriteErrorAsync(context, outcome, descriptor, message);
        }

        if (request is not null)
        {
            request.AnsweredWithError = true;
        }
    }

    private static async Task WriteErrorAsync(HttpContext context, Outcome outcome, OutcomeDescriptor descriptor, string? message)
    {
        using var body = new PooledBuffer(256);
        if (LambdaInvokeApi.ShapesErrorsOf(context))
        {
            var (status, errorType) = LambdaInvokeApi.ErrorOf(outcome, descriptor.StatusCode, message);
            context.Response.StatusCode = status;
            context.Response.Headers[LambdaInvokeApi.ErrorTypeHeader] = errorType;
            LambdaInvokeApi.Instance.MarkAnswer(context.Response.Headers, context.TraceIdentifier);
            LambdaInvokeApi.WriteErrorBody(body, status, errorType, message ?? descriptor.DefaultMessage);
        }
        else
        {
            WriteErrorBody(body, descriptor.ErrorCode, message ?? descriptor.DefaultMessage,
                FcInvokeApi.ShapesErrorsOf(context) ? context.TraceIdentifier : null);
        }

        await WriteBodyAsync(context, body.WrittenMemory);
    }

    /// <summary>
    /// FC's error body, <c>{"errorCode":"...","errorMessage":"..."}</c>; with <paramref name="apiRequestId"/> (FC's
    /// invocation API), FC 3.0's <c>Error</c> fields too, <c>"Code"</c>, <c>"Message"</c> and <c>"RequestId"</c>,
    /// which FC's SDKs read.
    /// </summary>
    public static void WriteErrorBody(IBufferWriter<byte> body, string errorCode, string message, string? apiRequestId = null)
    {
        using var writer = new Utf8JsonWriter(body, GatewayJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString(ErrorCodeName, errorCode);
        writer.WriteString(ErrorMessageName, message);
        if (apiRequestId is not null)
        {
            writer.WriteString(CodeName, errorCode);
            writer.WriteString(MessageName, message);
            writer.WriteString(RequestIdName, apiRequestId);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Removes every header but the one the error owns, which the code raising it set: the challenge of a 401, the
    /// methods a trigger or an API allows. Whatever else is there must not leak — above all a function's headers, taken
    /// from its output before the output turned out to be invalid. CORS headers need no keeping: ASP.NET Core's CORS
    /// middleware adds them as the response starts, after this.
    /// </summary>
    private static void KeepOnlyTheErrorsOwnHeaders(IHeaderDictionary headers, Outcome outcome)
    {
        var owned = outcome switch
        {
            Outcome.Unauthenticated => HeaderNames.WWWAuthenticate,
            Outcome.MethodDenied or Outcome.MethodNotAllowed => HeaderNames.Allow,
            _ => null,
        };
        var value = owned is null ? default : headers[owned];
        headers.Clear();
        if (owned is not null && !StringValues.IsNullOrEmpty(value))
        {
            headers[owned] = value;
        }
    }

    private static bool IsHttp1(string protocol) => !HttpProtocol.IsHttp2(protocol) && !HttpProtocol.IsHttp3(protocol);

    private static async Task WriteBodyAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        context.Response.ContentLength = body.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }
}
