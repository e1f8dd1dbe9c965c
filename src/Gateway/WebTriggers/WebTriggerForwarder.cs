using FcGateway.Concurrency;
using FcGateway.Diagnostics;
using FcGateway.Errors;
using FcGateway.Invocation;
using FcGateway.Requests;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace FcGateway.WebTriggers;

/// <summary>
/// Forwards a web-mode request with YARP's forwarder to an instance with room, bounded by the function
/// timeout. A worker that cannot be reached, fails, or runs out of time is answered with 502 and the
/// request id; a request body that is malformed or passes the limit (Kestrel stops reading it there, so the
/// worker never gets it whole) is the client's fault, 400; a response body over the limit is a bad response,
/// 502. Once the response has started streaming, the connection is cut instead.
/// </summary>
internal sealed partial class WebTriggerForwarder(
    FunctionInstanceScheduler scheduler,
    GatewayErrorWriter errors,
    TimeProvider timeProvider,
    ILogger<WebTriggerForwarder> logger)
{
    public async Task<InvocationOutcome> ForwardAsync(
        HttpContext context, RequestDelegate forward, FunctionTarget target, InvocationScope scope, IReadOnlyList<DestinationState> candidates)
    {
        var acquisition = await scheduler.AcquireAsync(context, target.FunctionName, target.Function, target.Cluster, candidates);
        if (acquisition.Lease is not { } lease)
        {
            var status = acquisition.Status == AcquireStatus.NoInstance ? InvocationStatus.NoInstance
                : acquisition.Status == AcquireStatus.Cancelled ? InvocationStatus.ClientClosed
                : InvocationStatus.Throttled;
            Log.Refused(logger, context.TraceIdentifier, target.FunctionName, acquisition.Status);
            await errors.WriteAsync(context, InvocationOutcomes.ErrorOf(status), status == InvocationStatus.Throttled ? $"Every instance of {target.FunctionName} is busy." : null);
            return InvocationOutcomes.OutcomeOf(status);
        }

        using (lease)
        {
            var proxy = context.GetReverseProxyFeature();
            proxy.AvailableDestinations = lease.Destination;
            scope.SetDestination(lease.Destination);
            return await ForwardWithinTimeoutAsync(context, forward, target);
        }
    }

    private async Task<InvocationOutcome> ForwardWithinTimeoutAsync(HttpContext context, RequestDelegate forward, FunctionTarget target)
    {
        var clientAborted = context.RequestAborted;
        using var deadline = new CancellationTokenSource(target.Function.Timeout, timeProvider);
        using var clientGone = clientAborted.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);

        // YARP's forwarder stops the proxied call when RequestAborted fires; this token also fires at the deadline.
        context.RequestAborted = deadline.Token;
        try
        {
            await forward(context);
        }
        finally
        {
            context.RequestAborted = clientAborted;
        }

        if (context.GetForwarderErrorFeature() is not { Error: not ForwarderError.None } failure)
        {
            return InvocationOutcome.Success;
        }

        if (clientAborted.IsCancellationRequested)
        {
            Log.ClientClosed(logger, context.TraceIdentifier, target.FunctionName);
            return InvocationOutcome.ClientClosed;
        }

        if (RequestBodyFailure.TryClassify(failure.Exception, target.Settings.Limits.MaxRequestBodyBytes, out var bodyError))
        {
            Log.BodyRejected(logger, context.TraceIdentifier, target.FunctionName, bodyError.Message);
            await errors.WriteAsync(context, bodyError.Error, bodyError.Message);
            return InvocationOutcome.Rejected;
        }

        var timedOut = deadline.IsCancellationRequested;
        var reason = timedOut ? $"Function time out after {target.Function.Timeout}." : $"{failure.Error}: {failure.Exception?.Message}";
        Log.Failed(logger, context.TraceIdentifier, target.FunctionName, reason);
        await errors.WriteAsync(context, GatewayError.FunctionFailed);
        return timedOut ? InvocationOutcome.Timeout
            : failure.Exception is ResponseBodyTooLargeException ? InvocationOutcome.BadResponse
            : InvocationOutcome.WorkerCrashed;
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.InvocationFailed, LogLevel.Warning, "Request {RequestId}: web function {FunctionName} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string requestId, string functionName, string reason);

        [LoggerMessage(EventIds.InvocationRefused, LogLevel.Warning, "Request {RequestId}: web function {FunctionName} refused: {Status}")]
        public static partial void Refused(ILogger logger, string requestId, string functionName, AcquireStatus status);

        [LoggerMessage(EventIds.RequestRejected, LogLevel.Debug, "Request {RequestId}: body for web function {FunctionName} rejected: {Reason}")]
        public static partial void BodyRejected(ILogger logger, string requestId, string functionName, string reason);

        [LoggerMessage(EventIds.ClientClosedRequest, LogLevel.Information, "Request {RequestId}: 499 ClientClosedRequest, the client went away while web function {FunctionName} answered.")]
        public static partial void ClientClosed(ILogger logger, string requestId, string functionName);
    }
}
