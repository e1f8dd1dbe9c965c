using FcGateway.Configuration;
using FcGateway.Edge.Signatures;
using FcGateway.Outcomes;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.InvokeApi;

/// <summary>How a caller asked for a function to run.</summary>
internal enum InvocationType
{
    /// <summary>Run it and answer with its output (FC's <c>Sync</c>, Lambda's <c>RequestResponse</c>).</summary>
    Sync,

    /// <summary>Answer 202 at once and run it in the background (FC's <c>Async</c>, Lambda's <c>Event</c>).</summary>
    Async,

    /// <summary>Check the call only: 204, nothing runs (Lambda's <c>DryRun</c>).</summary>
    DryRun,
}

/// <summary>
/// What tells one invocation API from the other: FC 3.0's InvokeFunction (<see cref="FcInvokeApi"/>) and AWS Lambda's
/// Invoke (<see cref="LambdaInvokeApi"/>) take the same steps — access, the function, its body, the dispatch, the
/// output or the function's error document — and differ in their request headers, their qualifier, and the headers
/// that mark the answer. Their errors differ too: <see cref="Errors.GatewayErrorWriter"/> writes Lambda's where the endpoint
/// carries <see cref="LambdaInvokeApi.ErrorShape"/>.
/// </summary>
internal abstract class InvokeApiDialect
{
    /// <summary>The methods the route answers with 405 and <c>Allow: POST</c>.</summary>
    public static readonly string[] OtherMethods =
        [HttpMethods.Get, HttpMethods.Head, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch, HttpMethods.Options];

    /// <summary>The route: <c>POST {Pattern}</c> invokes, its <see cref="OtherMethods"/> get 405.</summary>
    public abstract string Pattern { get; }

    /// <summary>The route value of <see cref="Pattern"/> holding the function's name as the caller wrote it.</summary>
    protected const string FunctionNameRouteValue = "functionName";

    /// <summary>The response header that carries the invocation's log tail in base64.</summary>
    public abstract string LogResultHeader { get; }

    /// <summary>
    /// Whether an invocation that ran is answered in an AWS event stream (<see cref="ResponseStreamAnswer"/>) rather than
    /// with its output or error document as the body.
    /// </summary>
    public virtual bool AnswersInEventStream => false;

    /// <summary>The content type of a successful invocation's output: bytes as the function gave them.</summary>
    public virtual string OutputContentType(FunctionSettings function) => "application/octet-stream";

    /// <returns>Why the request's own headers are refused, or null.</returns>
    public abstract string? Validate(HttpRequest request);

    public abstract InvocationType TypeOf(HttpRequest request);

    /// <summary>Whether the caller asked for the log tail of the invocation.</summary>
    public abstract bool WantsLogTail(HttpRequest request);

    /// <summary>The function the route value names, and the qualifier the call asks for (empty: none).</summary>
    public abstract (string FunctionName, string Qualifier) Target(HttpRequest request, string routeValue);

    /// <summary>The AccessKey pairs whose signatures the API takes; empty: it takes none.</summary>
    public abstract IReadOnlyDictionary<string, string> SignatureKeys(GatewaySettings settings);

    /// <summary>How a caller signs a call the API takes, for the refusal of one that is neither signed nor carries a token.</summary>
    public abstract string SigningHint { get; }

    /// <summary>The API's kind of signature (its <c>Authorization</c> scheme), the challenge of a 401 when it takes no bearer token.</summary>
    public abstract string SignatureAlgorithm { get; }

    /// <summary>Whether the call carries the API's kind of signature.</summary>
    public abstract bool IsSigned(HttpRequest request);

    /// <summary>Judges a signed call's signature over its head (the body is judged once read: <see cref="SignedCall.Covers"/>).</summary>
    /// <returns>Why the call is refused, or null with <paramref name="signed"/> set.</returns>
    public abstract (Outcome Error, string Message)? VerifySignature(HttpRequest request, GatewaySettings settings, DateTimeOffset now, out SignedCall? signed);

    /// <summary>The caller's client context for the function (<see cref="Dispatch.InvocationRequest.ClientContext"/>), or null; valid once <see cref="Validate"/> passed.</summary>
    public virtual string? ClientContext(HttpRequest request) => null;

    /// <summary>The message of a 404 for a function, or a qualifier of one, that does not exist.</summary>
    /// <param name="settings">The settings in force.</param>
    /// <param name="functionName">The function as <see cref="Target"/> read it.</param>
    /// <param name="qualifier">The qualifier the caller named, or empty.</param>
    /// <param name="qualifiers">The qualifiers the function has, when it exists; null when it does not.</param>
    public virtual string NotFound(GatewaySettings settings, string functionName, string qualifier, string? qualifiers) => qualifiers is null
        ? $"Function {functionName} does not exist."
        : $"Function {functionName} has no qualifier {qualifier}; its qualifier is {qualifiers}.";

    /// <summary>Marks every answer of the API, refusals included, with what names the request.</summary>
    public virtual void MarkAnswer(IHeaderDictionary headers, string requestId)
    {
    }

    /// <summary>Marks the answer of an invocation that ran, failed or not.</summary>
    public virtual void MarkRan(IHeaderDictionary headers, FunctionSettings function)
    {
    }

    /// <summary>Marks the answer of an invocation that failed in the function (its body is the error document).</summary>
    public abstract void MarkFunctionError(IHeaderDictionary headers);

    /// <summary>
    /// The <c>errorType</c> and <c>errorMessage</c> of the error document the gateway writes for a failure the function
    /// could not describe (<paramref name="type"/> and <paramref name="message"/>: the gateway's words), as the platform
    /// this API is would word them.
    /// </summary>
    public virtual (string Type, string Message) UndescribedFailure(FunctionSettings function, Outcome outcome, string type, string message, string requestId) =>
        (type, message);

    /// <summary>
    /// Whether an error for <paramref name="context"/> is the API's: its endpoint carries <typeparamref name="TShape"/>,
    /// or, refused before routing chose one (the request's limits) or by the fallback (no function name, which the API's
    /// route does not match), its path is <c>{pathStart}/{name}{pathEnd}</c>. A trigger's route keeps its own errors.
    /// </summary>
    protected static bool IsApiError<TShape>(HttpContext context, string pathStart, string pathEnd)
        where TShape : class
    {
        var metadata = context.GetEndpoint()?.Metadata;
        if (metadata?.GetMetadata<TShape>() is not null)
        {
            return true;
        }

        return metadata?.GetMetadata<RouteModel>() is null
            && context.Request.Path.StartsWithSegments(pathStart, StringComparison.Ordinal, out var rest)
            && rest.Value!.EndsWith(pathEnd, StringComparison.Ordinal) && rest.Value.IndexOf('/', 1) == rest.Value.Length - pathEnd.Length;
    }
}
