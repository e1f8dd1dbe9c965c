using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using FcGateway.Configuration;
using FcGateway.Dispatch.Pull;
using FcGateway.Edge.Signatures;
using FcGateway.Http;
using FcGateway.Outcomes;
using FcGateway.RuntimeApi;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// AWS Lambda's Invoke (<c>POST /2015-03-31/functions/{FunctionName}/invocations</c>), as the AWS CLI and SDKs call it
/// with an endpoint URL: <c>X-Amz-Invocation-Type</c> (RequestResponse, Event, DryRun), <c>X-Amz-Log-Type</c> (None,
/// Tail), <c>?Qualifier=</c> or a qualified name or ARN; the answer carries <c>X-Amz-Executed-Version</c>, a function
/// error <c>X-Amz-Function-Error: Unhandled</c>, and refusals Lambda's error shape: the type in <c>x-amzn-ErrorType</c>
/// and <c>{"Type","message"}</c>.
/// </summary>
internal class LambdaInvokeApi : InvokeApiDialect
{
    public static readonly LambdaInvokeApi Instance = new();

    public const string InvocationTypeHeader = "X-Amz-Invocation-Type";
    public const string LogTypeHeader = "X-Amz-Log-Type";
    public const string FunctionErrorHeader = "X-Amz-Function-Error";
    public const string ExecutedVersionHeader = "X-Amz-Executed-Version";
    public const string ErrorTypeHeader = "x-amzn-ErrorType";
    public const string RequestIdHeader = "x-amzn-RequestId";

    private const string TooManyRequests = "TooManyRequestsException";
    private const string ResourceNotFound = "ResourceNotFoundException";

    /// <summary>Lambda's words for a qualifier in the name that <c>?Qualifier=</c> contradicts (<c>InvalidParameterValueException</c>).</summary>
    private const string QualifierMismatch = "The derived qualifier from the function name does not match the specified qualifier.";
    private const string ClientContextHeader = "X-Amz-Client-Context";
    private const int MaxClientContextLength = 3583;

    /// <summary>The refusal of an operation of Lambda's API the gateway does not serve: 404 <c>UnknownOperationException</c>.</summary>
    public const string OtherOperation = "Of Lambda's API the gateway serves Invoke and InvokeWithResponseStream only.";

    /// <summary>The first segment of every path of Lambda's API: the version each of its operations is dated by.</summary>
    private static readonly string[] ApiVersions = ["/2014-11-13", "/2015-03-31", "/2016-08-19", "/2017-03-31", "/2017-10-31", "/2018-10-31", "/2019-09-25", "/2019-09-30", "/2020-04-22", "/2020-06-30", "/2021-10-31", "/2021-11-15"];

    private const string PathStart = "/2015-03-31/functions";
    private const string PathEnd = "/invocations";

    /// <summary>
    /// The request headers that change what an invocation does: a signed call must have signed each it carries
    /// (<see cref="AwsSignatureV4"/>), as AWS asks of every <c>X-Amz-*</c> header, or a captured call could be replayed
    /// as another kind, with the log tail, or with a client context of the replayer's.
    /// </summary>
    public static readonly string[] InvocationHeaders = [InvocationTypeHeader, LogTypeHeader, ClientContextHeader];

    protected LambdaInvokeApi()
    {
    }

    public override string Pattern => PathStart + "/{" + FunctionNameRouteValue + "}" + PathEnd;

    public override string LogResultHeader => "X-Amz-Log-Result";

    /// <summary>The values <c>X-Amz-Invocation-Type</c> takes here, as Lambda spells them.</summary>
    protected virtual string[] InvocationTypes { get; } = [LambdaValidation.Event, LambdaValidation.RequestResponse, LambdaValidation.DryRun];

    public override IReadOnlyDictionary<string, string> SignatureKeys(GatewaySettings settings) => settings.InvokeApi.AwsAccessKeys;

    public override string SigningHint => "Sign the call with a key of Gateway:InvokeApi:AwsAccessKeys (AWS Signature Version 4)";

    public override string SignatureAlgorithm => AwsSignatureV4.Algorithm;

    public override bool IsSigned(HttpRequest request) => AwsSignatureV4.IsSigned(request);

    public override (Outcome Error, string Message)? VerifySignature(HttpRequest request, GatewaySettings settings, DateTimeOffset now, out SignedCall? signed)
    {
        var problem = AwsSignatureV4.Read(request, settings.InvokeApi.AwsAccessKeys, settings.Region, now, InvocationHeaders, out var aws);
        signed = aws;
        return problem is null ? null : (Outcome.Unauthenticated, problem);
    }

    /// <summary>A Lambda function's output is JSON (its runtime client writes it so); an FC function's, bytes.</summary>
    public override string OutputContentType(FunctionSettings function) =>
        function.RuntimeApi == RuntimeApiProtocol.Lambda ? "application/json" : base.OutputContentType(function);

    public override string? Validate(HttpRequest request)
    {
        var qualifiers = request.Query["Qualifier"];
        var query = qualifiers.ToString();
        var name = request.RouteValues[FunctionNameRouteValue] as string ?? string.Empty;
        var problem = LambdaValidation.Problem(
            name, qualifiers.Count == 0 ? null : query, request.Headers[InvocationTypeHeader].ToString(), request.Headers[LogTypeHeader].ToString(), InvocationTypes);
        if (problem is not null)
        {
            return problem;
        }

        // Lambda refuses a qualifier in the name that ?Qualifier= contradicts, rather than run either.
        if (query.Length > 0 && Target(request, name).Qualifier != query)
        {
            return QualifierMismatch;
        }

        return ClientContextProblem(request.Headers[ClientContextHeader].ToString());
    }

    /// <summary>The JSON of <c>X-Amz-Client-Context</c>, which the caller sends in base64.</summary>
    public override string? ClientContext(HttpRequest request)
    {
        var encoded = request.Headers[ClientContextHeader].ToString();
        return encoded.Length == 0 ? null : Encoding.ASCII.GetString(Convert.FromBase64String(encoded));
    }

    public override InvocationType TypeOf(HttpRequest request)
    {
        var invocationType = request.Headers[InvocationTypeHeader].ToString();
        return invocationType switch
        {
            LambdaValidation.Event => InvocationType.Async,
            LambdaValidation.DryRun => InvocationType.DryRun,
            _ => InvocationType.Sync,
        };
    }

    public override bool WantsLogTail(HttpRequest request) =>
        request.Headers[LogTypeHeader].ToString() == LambdaValidation.Tail;

    /// <summary>
    /// Lambda's function name forms: <c>name</c>, <c>name:qualifier</c>, <c>account:function:name[:qualifier]</c>, and
    /// <c>arn:aws:lambda:region:account:function:name[:qualifier]</c>; the qualifier in the name, else <c>?Qualifier=</c>.
    /// A name with another region or account is kept whole, so that no function is found by it.
    /// </summary>
    public override (string FunctionName, string Qualifier) Target(HttpRequest request, string routeValue)
    {
        var settings = request.HttpContext.GatewaySettings();
        var query = request.Query["Qualifier"].ToString();
        var parts = routeValue.Split(':');
        return parts switch
        {
            [var name] => (name, query),
            [var name, var qualifier] => (name, qualifier),
            [var account, "function", var name, .. var rest] when parts.Length <= 4 && account == settings.AccountId => (name, QualifierOf(rest, query)),
            ["arn", "aws", "lambda", var region, var account, "function", var name, .. var rest]
                when parts.Length <= 8 && region == settings.Region && account == settings.AccountId => (name, QualifierOf(rest, query)),
            _ => (routeValue, query),
        };
    }

    /// <summary>
    /// Lambda's words, <c>Function not found: {ARN}</c>, the ARN qualified when the caller named a qualifier (a name of
    /// another account or region is quoted as given); for a qualifier the function does not have, what it has.
    /// </summary>
    public override string NotFound(GatewaySettings settings, string functionName, string qualifier, string? qualifiers)
    {
        var arn = functionName.Contains(':', StringComparison.Ordinal)
            ? functionName
            : LambdaRuntimeApiWire.FunctionArn(settings, functionName, qualifier.Length > 0 ? qualifier : null);
        return qualifiers is null ? $"Function not found: {arn}" : $"Function not found: {arn}; its qualifier is {qualifiers}.";
    }

    /// <summary>The version Lambda's runtime tells a Lambda function it runs; an FC function's qualifier.</summary>
    public override void MarkRan(IHeaderDictionary headers, FunctionSettings function) =>
        headers[ExecutedVersionHeader] = function.RuntimeApi == RuntimeApiProtocol.Lambda ? InstanceEnvironment.LambdaVersion : function.Qualifier;

    public override void MarkFunctionError(IHeaderDictionary headers) => headers[FunctionErrorHeader] = "Unhandled";

    public override (string Type, string Message) UndescribedFailure(FunctionSettings function, Outcome outcome, string type, string message, string requestId) =>
        LambdasFailure(function, outcome, type, message, requestId);

    /// <summary>
    /// A Lambda function's timeout and crash as Lambda's error document words them (<c>Sandbox.Timedout</c>, <c>Task timed
    /// out after 3.00 seconds</c>; <c>Runtime.ExitError</c>), so that code written against Lambda's answers reads them; an
    /// FC function's, and other failures, keep the gateway's words.
    /// </summary>
    public static (string Type, string Message) LambdasFailure(FunctionSettings function, Outcome outcome, string type, string message, string requestId) =>
        function.RuntimeApi != RuntimeApiProtocol.Lambda ? (type, message) : outcome switch
        {
            Outcome.Timeout => ("Sandbox.Timedout", string.Create(
                CultureInfo.InvariantCulture, $"RequestId: {requestId} Error: Task timed out after {function.Timeout.TotalSeconds:F2} seconds")),
            Outcome.WorkerCrashed or Outcome.InstanceGone => ("Runtime.ExitError", $"RequestId: {requestId} Error: {message}"),
            _ => (type, message),
        };

    /// <summary>Lambda's status and error type for a refusal or a failure outside the function.</summary>
    /// <param name="outcome">The refusal or failure.</param>
    /// <param name="status">The status the gateway answers it with elsewhere.</param>
    /// <param name="message">Its message, which tells a signature that does not hold from a key not known.</param>
    public static (int Status, string Type) ErrorOf(Outcome outcome, int status, string? message) => outcome switch
    {
        Outcome.Unauthenticated when AwsSignatureV4.IsInvalidSignature(message) => (403, "InvalidSignatureException"),
        Outcome.InvalidArgument when message is QualifierMismatch => (400, "InvalidParameterValueException"),
        Outcome.InvalidArgument when LambdaValidation.IsProblem(message) => (400, "ValidationException"),
        Outcome.InvalidArgument => (400, "InvalidRequestContentException"),
        Outcome.EntityTooLarge => (413, "RequestTooLargeException"),
        Outcome.FunctionNotFound when message is OtherOperation => (404, "UnknownOperationException"),
        Outcome.FunctionNotFound => (404, ResourceNotFound),
        Outcome.AccessDenied => (403, "AccessDeniedException"),
        Outcome.Unauthenticated => (403, "UnrecognizedClientException"),
        Outcome.QueueFull or Outcome.QueueTimeout or Outcome.InstanceBusy => (429, TooManyRequests),
        Outcome.MethodNotAllowed => (405, "UnknownOperationException"),
        Outcome.RequestTooSlow => (408, "RequestTimeoutException"),
        _ => (status >= 500 ? status : 500, "ServiceException"),
    };

    /// <summary>
    /// Lambda's error body, <c>{"Type":"User","message":"..."}</c> (<c>Service</c> for a 5xx; <c>Message</c> for a
    /// <c>ResourceNotFoundException</c>, as Lambda spells it there); a throttle's carries the <c>Reason</c> Lambda gives a
    /// function whose concurrency is used up, which the SDKs expose on their exception.
    /// </summary>
    public static void WriteErrorBody(IBufferWriter<byte> body, int status, string errorType, string message)
    {
        using var writer = new Utf8JsonWriter(body, GatewayJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("Type", status >= 500 ? "Service" : "User");
        writer.WriteString(errorType == ResourceNotFound ? "Message" : "message", message);
        if (errorType == TooManyRequests)
        {
            writer.WriteString("Reason", "ReservedFunctionConcurrentInvocationLimitExceeded");
        }

        writer.WriteEndObject();
    }

    public override void MarkAnswer(IHeaderDictionary headers, string requestId) => headers[RequestIdHeader] = requestId;

    /// <summary>
    /// Lambda takes up to 3,583 bytes of base64 for a JSON object. The worker gets the JSON in a header, so it must be
    /// printable ASCII (JSON escapes the rest) on one line.
    /// </summary>
    private static string? ClientContextProblem(string encoded)
    {
        if (encoded.Length == 0)
        {
            return null;
        }

        const string Expected = "X-Amz-Client-Context must be a JSON object in base64 of at most 3,583 characters, in printable ASCII on one line.";
        var json = new byte[encoded.Length];
        if (encoded.Length > MaxClientContextLength || !Convert.TryFromBase64String(encoded, json, out var length))
        {
            return Expected;
        }

        var decoded = json.AsSpan(0, length);
        foreach (var b in decoded)
        {
            if (b is < 0x20 or > 0x7e)
            {
                return Expected;
            }
        }

        return decoded.TrimStart((byte)' ') is [(byte)'{', ..] && LambdaPayload.Problem(decoded) is null ? null : Expected;
    }

    private static string QualifierOf(ReadOnlySpan<string> rest, string query) => rest.Length > 0 ? rest[0] : query;

    /// <summary>
    /// Whether an error for <paramref name="context"/> takes Lambda's shape: its endpoint carries <see cref="ErrorShape"/>,
    /// or, refused before routing chose one (the request's limits), its path is this API's, or another operation of
    /// Lambda's API (<see cref="IsOtherOperation"/>).
    /// </summary>
    public static bool ShapesErrorsOf(HttpContext context) => IsInvocation(context) || IsUnroutedApiPath(context);

    /// <summary>
    /// Whether <paramref name="context"/> asks for an operation of Lambda's API the gateway does not serve (ListFunctions,
    /// GetFunction, the old InvokeAsync…): a path under one of the API's versions that no trigger's route took and that is
    /// not an invocation's. The AWS SDKs and CLI read its refusal as <see cref="OtherOperation"/>, not as an unknown error.
    /// </summary>
    public static bool IsOtherOperation(HttpContext context) => IsUnroutedApiPath(context) && !IsInvocation(context);

    private static bool IsInvocation(HttpContext context) =>
        IsApiError<ErrorShape>(context, PathStart, PathEnd) || IsApiError<ErrorShape>(context, LambdaStreamingInvokeApi.PathStart, LambdaStreamingInvokeApi.PathEnd);

    /// <summary>A path under one of the API's versions that no trigger's route took.</summary>
    private static bool IsUnroutedApiPath(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is not null)
        {
            return false;
        }

        foreach (var version in ApiVersions)
        {
            if (context.Request.Path.StartsWithSegments(version, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Endpoint metadata: the endpoint's errors are written in Lambda's shape by <see cref="Errors.GatewayErrorWriter"/>.</summary>
    public sealed class ErrorShape
    {
        public static readonly ErrorShape Instance = new();

        private ErrorShape()
        {
        }
    }
}
