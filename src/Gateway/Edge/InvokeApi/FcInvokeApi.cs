using FcGateway.Configuration;
using FcGateway.Edge.Signatures;
using FcGateway.Outcomes;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// FC 3.0's InvokeFunction (wire contract §6): <c>x-fc-invocation-type</c> (Sync, Async), <c>x-fc-log-type</c>
/// (None, Tail), <c>?qualifier=</c>; a function error is marked <c>X-Fc-Error-Type: UnhandledInvocationError</c>.
/// </summary>
internal sealed class FcInvokeApi : InvokeApiDialect
{
    public static readonly FcInvokeApi Instance = new();

    public const string InvocationTypeHeader = "x-fc-invocation-type";
    public const string LogTypeHeader = "x-fc-log-type";
    public const string ErrorTypeHeader = "X-Fc-Error-Type";

    private const string AsyncValue = "Async";
    private const string TailValue = "Tail";
    private const string UnhandledInvocationError = "UnhandledInvocationError";

    private FcInvokeApi()
    {
    }

    private const string PathStart = "/2023-03-30/functions";
    private const string PathEnd = "/invocations";

    public override string Pattern => PathStart + "/{" + FunctionNameRouteValue + "}" + PathEnd;

    public override string LogResultHeader => "X-Fc-Log-Result";

    public override IReadOnlyDictionary<string, string> SignatureKeys(GatewaySettings settings) => settings.AccessKeys;

    public override string SigningHint => $"Sign the call with a key of Gateway:AccessKeys ({AcsSignatureV3.Algorithm}, as FC's SDKs sign)";

    public override string SignatureAlgorithm => AcsSignatureV3.Algorithm;

    public override bool IsSigned(HttpRequest request) => AcsSignatureV3.IsSigned(request);

    /// <remarks>
    /// The signature must cover the body's hash (<c>x-acs-content-sha256</c>) and a nonce (<c>x-acs-signature-nonce</c>),
    /// as FC's SDKs sign every call: a trigger's documented form leaves both out, which on this API would let anyone
    /// holding a call run it again, with another body or as another invocation type.
    /// </remarks>
    public override (Outcome Error, string Message)? VerifySignature(HttpRequest request, GatewaySettings settings, DateTimeOffset now, out SignedCall? signed)
    {
        signed = null;
        if (AcsSignatureV3.Verify(request, settings.AccessKeys, now, out var acs) is { } refusal)
        {
            return refusal;
        }

        if (acs!.ContentHash is null)
        {
            return (Outcome.SignatureNotMatch, $"The signature must cover {AcsSignatureV3.ContentHashHeader}, the body's SHA-256, as FC's SDKs sign InvokeFunction.");
        }

        if (acs.Nonce is null)
        {
            return (Outcome.SignatureNotMatch, $"The signature must cover {AcsSignatureV3.NonceHeader}, a value of the call's own, as FC's SDKs sign InvokeFunction.");
        }

        signed = acs;
        return null;
    }

    public override string? Validate(HttpRequest request)
    {
        var invocationType = request.Headers[InvocationTypeHeader].ToString();
        if (invocationType.Length > 0 && !invocationType.Equals("Sync", StringComparison.OrdinalIgnoreCase)
            && !invocationType.Equals(AsyncValue, StringComparison.OrdinalIgnoreCase))
        {
            return $"x-fc-invocation-type must be Sync or Async, not '{invocationType}'.";
        }

        var logType = request.Headers[LogTypeHeader].ToString();
        return logType.Length == 0 || logType.Equals("None", StringComparison.OrdinalIgnoreCase) || logType.Equals(TailValue, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"x-fc-log-type must be None or Tail, not '{logType}'.";
    }

    public override InvocationType TypeOf(HttpRequest request) =>
        request.Headers[InvocationTypeHeader].ToString().Equals(AsyncValue, StringComparison.OrdinalIgnoreCase) ? InvocationType.Async : InvocationType.Sync;

    public override bool WantsLogTail(HttpRequest request) =>
        request.Headers[LogTypeHeader].ToString().Equals(TailValue, StringComparison.OrdinalIgnoreCase);

    public override (string FunctionName, string Qualifier) Target(HttpRequest request, string routeValue) =>
        (routeValue, request.Query["qualifier"].ToString());

    public override void MarkFunctionError(IHeaderDictionary headers) => headers[ErrorTypeHeader] = UnhandledInvocationError;

    /// <summary>
    /// Whether an error for <paramref name="context"/> carries FC 3.0's <c>Error</c> fields (<c>Code</c>, <c>Message</c>,
    /// <c>RequestId</c>, which FC's SDKs read) beside FC's body: its endpoint carries <see cref="ErrorShape"/>, or,
    /// refused before routing chose one (the request's limits), its path is this API's.
    /// </summary>
    public static bool ShapesErrorsOf(HttpContext context) => IsApiError<ErrorShape>(context, PathStart, PathEnd);

    /// <summary>Endpoint metadata: the endpoint's errors carry FC 3.0's <c>Error</c> fields, written by <see cref="Errors.GatewayErrorWriter"/>.</summary>
    public sealed class ErrorShape
    {
        public static readonly ErrorShape Instance = new();

        private ErrorShape()
        {
        }
    }
}
