using System.Buffers;
using System.Text;
using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch.Push;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Edge.Errors;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Responses;
using FcGateway.Edge.Signatures;
using FcGateway.Edge.Telemetry;
using FcGateway.Http;
using FcGateway.Outcomes;

namespace FcGateway.Edge.InvokeApi;

/// <summary>
/// The direct invocation APIs, FC 3.0's InvokeFunction (wire contract §6) and AWS Lambda's Invoke, each an
/// <see cref="InvokeApiDialect"/>: the body goes to the function unchanged and the output comes back as it is, with 200;
/// a function error is 200 too, with the error document and the dialect's mark. An asynchronous invocation is answered
/// 202 at once and run by <see cref="AsyncInvocations"/>.
/// </summary>
internal sealed class InvokeApiEndpoint(
    FunctionDirectory functions, FunctionDispatcher dispatcher, AsyncInvocations asyncInvocations, GatewayErrorWriter errors, InvocationTelemetry telemetry,
    RequestDrain drain, SignatureNonces nonces, TimeProvider time)
{
    private const string SwitchedOff = "The invocation API is switched off.";

    /// <summary>The <c>errorType</c> of a function error the worker reported with an empty body and no type.</summary>
    private const string UndescribedErrorType = "UnknownError";

    public async Task InvokeAsync(HttpContext context, string routeValue, InvokeApiDialect dialect)
    {
        var settings = context.GatewaySettings();
        dialect.MarkAnswer(context.Response.Headers, context.TraceIdentifier);
        var (functionName, qualifier) = dialect.Target(context.Request, routeValue);
        if (Refusal(context, settings, dialect, functionName, qualifier, out var signed) is { } refusal)
        {
            // A signed call learns nothing of the functions (which exist, their qualifiers) before its signature holds.
            var (error, message) = signed is not null && await SignedBodyRefusalAsync(context, settings, signed) is { } unsigned ? unsigned : refusal;
            await errors.RefuseAsync(context, error, message);
            return;
        }

        var invocationType = dialect.TypeOf(context.Request);
        if (invocationType == InvocationType.DryRun)
        {
            await DryRunAsync(context, settings, signed);
            return;
        }

        var target = new FunctionTarget(functionName, settings, functions.FindCluster(functionName, settings)!)
        {
            InvokedQualifier = InvokedQualifier(qualifier, settings.GetFunction(functionName)),
        };
        using var scope = telemetry.StartInvocation(context, functionName, settings);
        var limits = invocationType == InvocationType.Async
            ? settings.Limits with { MaxRequestBodyBytes = Math.Min(settings.Limits.MaxRequestBodyBytes, settings.Limits.MaxAsyncRequestBodyBytes) }
            : settings.Limits;
        var body = await RequestBodyReader.ReadOrRefuseAsync(context, limits, errors, scope);
        if (body is null)
        {
            return;
        }

        // A signature's hash of the body and a Lambda payload's check read every byte of it.
        await InlineSocketCompletions.LeaveSocketThreadForAsync(body.WrittenCount);

        if (signed is not null && !signed.Covers(context.Request, settings, body.WrittenSpan))
        {
            body.Dispose();
            var (error, message) = signed.BodyRefusal;
            await errors.WriteAsync(context, error, message);
            scope.Complete(error, context.Response.StatusCode, message);
            return;
        }

        // Lambda's runtime clients parse the event as JSON: Lambda passes a function invoked with no payload an empty
        // JSON object and refuses a payload that is not JSON, as here; FC passes the body as it came.
        if (target.Function.RuntimeApi == RuntimeApiProtocol.Lambda)
        {
            if (body.WrittenMemory.IsEmpty)
            {
                body.Write("{}"u8);
            }
            else if (LambdaPayload.Problem(body.WrittenSpan) is { } problem)
            {
                body.Dispose();
                await errors.WriteAsync(context, Outcome.InvalidArgument, problem);
                scope.Complete(Outcome.InvalidArgument, context.Response.StatusCode, problem);
                return;
            }
        }

        if (invocationType == InvocationType.Async)
        {
            // Lambda hands X-Amz-Client-Context to the function in synchronous invocations only (it is still validated).
            await AcceptAsync(context, target, body, settings.InvokeApi, scope);
            return;
        }

        using (body)
        {
            await InvokeNowAsync(context, target, dialect, body, scope);
        }
    }

    /// <summary>A synchronous invocation: the answer is the function's output or its error.</summary>
    private async Task InvokeNowAsync(HttpContext context, FunctionTarget target, InvokeApiDialect dialect, PooledBuffer body, InvocationScope scope)
    {
        using var output = new PooledBuffer();
        var log = dialect.WantsLogTail(context.Request) ? new InvocationLog() : null;
        using var cancellation = drain.Link(context.RequestAborted);
        var streamed = dialect.AnswersInEventStream && target.Function.RuntimeApi == RuntimeApiProtocol.Lambda ? new StreamedReply(takesWholeBody: true) : null;
        try
        {
            await RunAsync(context, target, dialect, body, scope, output, log, streamed, cancellation.Token);
        }
        finally
        {
            // A streamed body the answer never took is read and dropped by the runtime API.
            streamed?.End(new(new(Outcome.ClientClosed, "The response was not sent."), StreamRest.Dropped));
        }
    }

    /// <summary>Runs the invocation and answers it; a body a Lambda function streams to an event stream answer is sent on as it comes.</summary>
    private async Task RunAsync(
        HttpContext context, FunctionTarget target, InvokeApiDialect dialect, PooledBuffer body, InvocationScope scope, PooledBuffer output, InvocationLog? log,
        StreamedReply? streamed, CancellationToken cancellation)
    {
        var result = await dispatcher.InvokeAsync(
            new InvocationRequest
            {
                RequestId = context.TraceIdentifier,
                Target = target,
                Candidates = target.Cluster.DestinationsState.AvailableDestinations,
                Payload = new BufferPayload(body.WrittenMemory),
                Output = output,
                Observer = scope,
                Log = log,
                Abandoned = drain.Ended,
                ClientContext = dialect.ClientContext(context.Request),
                StreamedReply = streamed,
            },
            cancellation);
        result = drain.Judge(result, target.FunctionName, context.RequestAborted);
        var logTail = log?.Text is { } text ? Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) : null;
        if (result.Outcome == Outcome.Success && streamed is { IsStarted: true })
        {
            dialect.MarkRan(context.Response.Headers, target.Function);
            var (end, bytes) = await ResponseStreamAnswer.StreamAsync(context, target.Function, streamed, target.Settings.Limits.MaxResponseBodyBytes, logTail, cancellation);
            scope.SetResponseBodySize(bytes);
            result = drain.Judge(end.Result, target.FunctionName, context.RequestAborted);
            scope.Complete(result.Outcome, context.Response.StatusCode, result.Reason);
            return;
        }

        var sent = await RespondAsync(context, dialect, target.Function, result, output, logTail);
        if (sent.ClientGone)
        {
            scope.SetResponseBodySize(sent.Bytes);
            await errors.WriteAsync(context, Outcome.ClientClosed);
            result = result with { Outcome = Outcome.ClientClosed };
        }

        scope.Complete(result.Outcome, context.Response.StatusCode, WorkerErrorText.Reason(result, output));
    }

    /// <summary>
    /// An asynchronous invocation: 202 with no body once it is taken (the response's <c>X-Fc-Request-Id</c> is the id it
    /// will run under); 429 ResourceExhausted when too many are pending, 503 ResourceThrottled while the gateway stops.
    /// </summary>
    private async Task AcceptAsync(HttpContext context, FunctionTarget target, PooledBuffer body, InvokeApiSettings api, InvocationScope scope)
    {
        var functionName = target.FunctionName;
        var acceptance = asyncInvocations.TryAccept(context.TraceIdentifier, target, body, api.MaxPendingAsyncInvocations);
        if (acceptance != AsyncAcceptance.Accepted)
        {
            body.Dispose();
            var (outcome, message) = acceptance == AsyncAcceptance.Stopping
                ? (Outcome.NoInstance, "The gateway is stopping and takes no more asynchronous invocations.")
                : (Outcome.QueueFull, $"{api.MaxPendingAsyncInvocations} asynchronous invocations of function {functionName} are pending already; try again later.");
            await errors.WriteAsync(context, outcome, message);
            scope.Complete(outcome, context.Response.StatusCode, message);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status202Accepted;
        context.Response.ContentLength = 0;
        scope.Complete(Outcome.Success, StatusCodes.Status202Accepted);
    }

    /// <summary>The API's path with another method than POST: that method refused (405, <c>Allow: POST</c>), not an unknown function.</summary>
    public Task RefuseMethodAsync(HttpContext context)
    {
        if (!context.GatewaySettings().InvokeApi.Enabled)
        {
            return errors.RefuseAsync(context, Outcome.FunctionNotFound, SwitchedOff);
        }

        context.Response.Headers.Allow = HttpMethods.Post;
        return errors.RefuseAsync(context, Outcome.MethodNotAllowed, $"The invocation API takes POST, not {context.Request.Method}.");
    }

    /// <summary>
    /// A call that only checks: 204 once the caller, the function and the headers passed, and, for a signed call, the
    /// signature over the body.
    /// </summary>
    private async Task DryRunAsync(HttpContext context, GatewaySettings settings, SignedCall? signed)
    {
        if (signed is not null && await SignedBodyRefusalAsync(context, settings, signed) is { } refusal)
        {
            await errors.RefuseAsync(context, refusal.Error, refusal.Message);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Reads the body a signed call's signature covers, for a call that runs nothing, and checks the signature over it.</summary>
    /// <returns>Why the call is refused — its body could not be read, or the signature is not its secret's — or null.</returns>
    private static async Task<(Outcome Error, string Message)?> SignedBodyRefusalAsync(HttpContext context, GatewaySettings settings, SignedCall signed)
    {
        using var body = RequestBodyReader.BufferFor(context.Request, settings.Limits);
        if (await RequestBodyReader.ReadAsync(context.Request, body, settings.Limits, context.RequestAborted) is { } failure)
        {
            return failure;
        }

        return signed.Covers(context.Request, settings, body.WrittenSpan) ? null : signed.BodyRefusal;
    }

    /// <summary>The qualifier the caller named, as the function spells it (<see cref="FunctionTarget.InvokedQualifier"/>); null for none.</summary>
    private static string? InvokedQualifier(string qualifier, FunctionSettings function) =>
        qualifier.Length == 0 ? null : qualifier == InstanceEnvironment.LambdaVersion ? qualifier : function.Qualifier;

    private (Outcome Error, string Message)? Refusal(
        HttpContext context, GatewaySettings settings, InvokeApiDialect dialect, string functionName, string qualifier, out SignedCall? signed)
    {
        signed = null;
        if (!settings.InvokeApi.Enabled)
        {
            return (Outcome.FunctionNotFound, SwitchedOff);
        }

        var now = time.GetUtcNow();
        if ((InvokeApiAccess.Check(context, settings, dialect, now, out signed) ?? signed?.TakeNonce(nonces, now)) is { } denied)
        {
            return denied;
        }

        if (dialect.Validate(context.Request) is { } invalid)
        {
            return (Outcome.InvalidArgument, invalid);
        }

        if (functions.FindCluster(functionName, settings) is null)
        {
            return (Outcome.FunctionNotFound, dialect.NotFound(settings, functionName, qualifier, qualifiers: null));
        }

        // A Lambda function's process is told it runs version $LATEST: that name is its qualifier too.
        var function = settings.GetFunction(functionName);
        var configured = function.Qualifier;
        var isLambda = function.RuntimeApi == RuntimeApiProtocol.Lambda;
        return qualifier.Length > 0 && !string.Equals(qualifier, configured, StringComparison.OrdinalIgnoreCase)
            && !(isLambda && qualifier == InstanceEnvironment.LambdaVersion)
            ? (Outcome.FunctionNotFound, dialect.NotFound(settings, functionName, qualifier, isLambda ? $"{InstanceEnvironment.LambdaVersion} (or {configured})" : configured))
            : null;
    }

    /// <summary>
    /// Answers with the output, or with a function failure's error document. This is the one place that writes an error
    /// document for the invocation API: the worker's own body is kept when it wrote one; the gateway writes it for a
    /// failure the worker could not describe (its outcome's <see cref="OutcomeDescriptor.ErrorType"/>: timeout, crash,
    /// bad reply, worded as the API's platform words them, <see cref="InvokeApiDialect.UndescribedFailure"/>; a Lambda
    /// process's <c>init/error</c> with the message and type it reported) and for a function error whose body is empty (a runtime API <c>error</c> or a worker's non-2xx reply
    /// without one) — of the type the worker gave outside the body (<see cref="InvocationResult.ErrorType"/>), else
    /// <see cref="UndescribedErrorType"/>. The runtime API protocols only report what they read. An answer in an event
    /// stream carries the output, or the failure's type and message, in its events instead (<see cref="ResponseStreamAnswer"/>).
    /// </summary>
    /// <returns>The body as sent; none for an error the gateway writes.</returns>
    private async Task<SentBody> RespondAsync(
        HttpContext context, InvokeApiDialect dialect, FunctionSettings function, InvocationResult result, PooledBuffer output, string? logTail)
    {
        if (logTail is not null && !dialect.AnswersInEventStream)
        {
            context.Response.Headers[dialect.LogResultHeader] = logTail;
        }

        var descriptor = OutcomeTable.Of(result.Outcome);
        if (!descriptor.IsFunctionFailure && result.Outcome != Outcome.Success)
        {
            await errors.WriteAsync(context, result.Outcome, result.Reason);
            return default;
        }

        var response = context.Response;
        dialect.MarkRan(response.Headers, function);
        if (dialect.AnswersInEventStream)
        {
            return await ResponseStreamAnswer.SendAsync(context, function, dialect.OutputContentType(function), result, output.WrittenMemory, logTail);
        }

        response.StatusCode = StatusCodes.Status200OK;
        ReadOnlyMemory<byte> body = output.WrittenMemory;
        if (result.Outcome != Outcome.Success)
        {
            dialect.MarkFunctionError(response.Headers);
            var message = result.ErrorMessage ?? result.Reason;
            if (descriptor.ErrorType is { } gatewaysType)
            {
                var (type, worded) = result.ErrorType is { } reported
                    ? (reported, message)
                    : dialect.UndescribedFailure(function, result.Outcome, gatewaysType, message, context.TraceIdentifier);
                body = ErrorBody(worded, type);
                response.ContentType = "application/json";
            }
            else if (body.IsEmpty)
            {
                body = ErrorBody(message, result.ErrorType ?? UndescribedErrorType);
                response.ContentType = "application/json";
            }
            else
            {
                // The worker's error body is its own, JSON or not: labelled as the worker labelled it, and where it did
                // not, as an output (a Lambda function's error document is JSON, as its output is).
                response.ContentType = result.ErrorContentType ?? dialect.OutputContentType(function);
            }
        }
        else
        {
            response.ContentType = dialect.OutputContentType(function);
        }

        response.ContentLength = body.Length;
        return await ResponseBodySender.SendAsync(context, body);
    }

    /// <summary>The error document the gateway writes in the worker's stead.</summary>
    private static ReadOnlyMemory<byte> ErrorBody(string reason, string errorType)
    {
        var body = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(body, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", reason);
            writer.WriteString("errorType", errorType);
            writer.WriteEndObject();
        }

        return body.WrittenMemory;
    }
}
