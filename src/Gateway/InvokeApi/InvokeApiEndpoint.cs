using System.Text.Json;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Errors;
using FcGateway.Invocation;
using FcGateway.Requests;

namespace FcGateway.InvokeApi;

/// <summary>
/// FC 3.0's InvokeFunction (wire contract §6): the body goes to the worker's <c>/invoke</c> unchanged and the
/// output comes back as it is, with 200; a function error is 200 too, with the error body and
/// <c>X-Fc-Error-Type: UnhandledInvocationError</c>. Only synchronous invocation is supported.
/// </summary>
internal sealed partial class InvokeApiEndpoint(
    GatewaySettingsMonitor settingsMonitor,
    FunctionDirectory functions,
    FunctionCaller caller,
    GatewayErrorWriter errors,
    InvocationTelemetry telemetry,
    ILogger<InvokeApiEndpoint> logger)
{
    public const string ErrorTypeHeader = "X-Fc-Error-Type";
    private const string UnhandledInvocationError = "UnhandledInvocationError";

    public async Task InvokeAsync(HttpContext context, string functionName)
    {
        var settings = settingsMonitor.Current;
        if (Refusal(context, settings, functionName) is { } refusal)
        {
            Log.Refused(logger, context.TraceIdentifier, LogText.Escape(functionName), LogText.Escape(refusal.Message));
            await errors.WriteAsync(context, refusal.Error, refusal.Message);
            telemetry.RecordUnroutedRequest(context, refusal.Error == GatewayError.FunctionNotFound ? InvocationOutcome.NotFound : InvocationOutcome.Rejected);
            return;
        }

        var target = new FunctionTarget(functionName, settings, functions.FindCluster(functionName)!);
        using var scope = telemetry.StartInvocation(context, functionName);
        using var body = RequestBodyReader.BufferFor(context.Request, settings.Limits);
        if (await RequestBodyReader.ReadAsync(context.Request, body, settings.Limits, context.RequestAborted) is { } bodyError)
        {
            Log.BodyRejected(logger, context.TraceIdentifier, LogText.Escape(bodyError.Message));
            await errors.WriteAsync(context, bodyError.Error, bodyError.Message);
            scope.Complete(InvocationOutcome.Rejected, context.Response.StatusCode);
            return;
        }

        using var activity = InvocationActivity.StartIfNoneCurrent();
        using var output = new PooledBuffer();
        var result = await caller.CallAsync(context, scope, target, target.Cluster.DestinationsState.AvailableDestinations, new BufferPayload(body.WrittenMemory), output);
        await RespondAsync(context, target, result, output);
        scope.Complete(InvocationOutcomes.OutcomeOf(result.Status), context.Response.StatusCode);
    }

    private (GatewayError Error, string Message)? Refusal(HttpContext context, GatewaySettings settings, string functionName)
    {
        if (!settings.InvokeApi.Enabled)
        {
            return (GatewayError.FunctionNotFound, "The invocation API is switched off.");
        }

        if (InvokeApiAccess.Check(context, settings.InvokeApi) is { } denied)
        {
            return denied;
        }

        if (InvokeApiHeaders.Validate(context.Request) is { } invalid)
        {
            return (GatewayError.InvalidArgument, invalid);
        }

        if (functions.FindCluster(functionName) is null)
        {
            return (GatewayError.FunctionNotFound, $"Function {functionName} does not exist.");
        }

        var qualifier = context.Request.Query["qualifier"].ToString();
        var configured = settings.GetFunction(functionName).Qualifier;
        return qualifier.Length > 0 && !string.Equals(qualifier, configured, StringComparison.OrdinalIgnoreCase)
            ? (GatewayError.FunctionNotFound, $"Function {functionName} has no qualifier {qualifier}; its qualifier is {configured}.")
            : null;
    }

    private async Task RespondAsync(HttpContext context, FunctionTarget target, InvocationResult result, PooledBuffer output)
    {
        if (!InvocationOutcomes.IsFunctionFailure(result.Status) && result.Status != InvocationStatus.Succeeded)
        {
            Log.Refused(logger, context.TraceIdentifier, target.FunctionName, result.Reason);
            await errors.WriteAsync(context, InvocationOutcomes.ErrorOf(result.Status), result.Reason);
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        ReadOnlyMemory<byte> body = output.WrittenMemory;
        if (result.Status != InvocationStatus.Succeeded)
        {
            Log.FunctionFailed(logger, context.TraceIdentifier, target.FunctionName, result.Reason);
            response.Headers[ErrorTypeHeader] = UnhandledInvocationError;
            response.ContentType = "application/json";
            if (result.Status != InvocationStatus.FunctionFailed)
            {
                body = ErrorBody(result);
            }
        }
        else
        {
            response.ContentType = "application/octet-stream";
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>The error body for failures the worker could not describe itself (timeout, crash, bad reply).</summary>
    private static byte[] ErrorBody(InvocationResult result) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
    {
        ["errorMessage"] = result.Reason,
        ["errorType"] = result.Status switch
        {
            InvocationStatus.TimedOut => "FunctionTimeoutError",
            InvocationStatus.WorkerCrashed => "ProcessExitedError",
            InvocationStatus.InitializationFailed => "InitializationError",
            _ => "InvalidResponseError",
        },
    });

    private static partial class Log
    {
        [LoggerMessage(EventIds.InvocationRefused, LogLevel.Information, "Request {RequestId}: invocation API call of {FunctionName} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string requestId, string functionName, string reason);

        [LoggerMessage(EventIds.RequestRejected, LogLevel.Debug, "Request {RequestId}: body rejected: {Reason}")]
        public static partial void BodyRejected(ILogger logger, string requestId, string reason);

        [LoggerMessage(EventIds.FunctionFailed, LogLevel.Warning, "Request {RequestId}: function {FunctionName} failed through the invocation API: {Reason}")]
        public static partial void FunctionFailed(ILogger logger, string requestId, string functionName, string reason);
    }
}
