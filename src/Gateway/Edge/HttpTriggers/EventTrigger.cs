using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dialects;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Pull;
using FcGateway.Edge.Errors;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Responses;
using FcGateway.Edge.Telemetry;
using FcGateway.Http;
using FcGateway.Outcomes;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.HttpTriggers;

/// <summary>
/// An event-mode HTTP trigger: the function's dialect turns the request into a payload, dispatch runs the invocation,
/// and the dialect turns the output into the response — or the outcome's error is written. Reached from YARP's proxy
/// pipeline (<see cref="HttpTriggerMiddleware"/>) and, for functions whose workers pull and whose routes have no
/// cluster, from <see cref="PulledFunctionMiddleware"/>.
/// </summary>
internal sealed partial class EventTrigger(
    FunctionDialects dialects,
    FunctionDispatcher dispatcher,
    ClusterPolicies policies,
    GatewayErrorWriter errors,
    InvocationTelemetry telemetry,
    RequestDrain drain,
    TimeProvider timeProvider,
    ILogger<EventTrigger> logger)
{
    /// <summary>Room for the event's fields other than the body, so most heads fit the first buffer.</summary>
    private const int EventHeadBytes = 2048;

    /// <param name="context">The client's request.</param>
    /// <param name="route">The function's route.</param>
    /// <param name="target">The function, its settings snapshot and its cluster.</param>
    /// <param name="candidates">The instances that may serve it (pushed functions; pulled ones bring their own).</param>
    /// <param name="proxy">YARP's view of the request, told which instance served it; null outside the proxy pipeline.</param>
    public async Task InvokeAsync(HttpContext context, RouteModel route, FunctionTarget target, IReadOnlyList<DestinationState> candidates, IReverseProxyFeature? proxy)
    {
        // An HTTP/2 WebSocket (RFC 8441) has no event form; over HTTP/1.1 the same request is a GET the event carries.
        if (ExtendedConnect.IsWebSocket(context))
        {
            await errors.RefuseAsync(context, Outcome.InvalidArgument, "A WebSocket needs a web function: this route's function takes events.");
            return;
        }

        var settings = target.Settings;
        var dialect = dialects.For(target.Function);
        using var scope = telemetry.StartInvocation(context, target.FunctionName, settings);
        if (candidates.Count == 0 && target.Function.RuntimeApi is null)
        {
            await FailAsync(context, scope, new InvocationResult(Outcome.NoInstance, $"Function {target.FunctionName} has no available instance."));
            return;
        }

        var requestTime = timeProvider.GetUtcNow();
        using var body = await RequestBodyReader.ReadOrRefuseAsync(context, settings.Limits, errors, scope);
        if (body is null)
        {
            return;
        }

        // The event carries the body encoded (base64, or escaped JSON text), written before the first wait for the worker.
        await InlineSocketCompletions.LeaveSocketThreadForAsync(body.WrittenCount);

        var (rawPath, rawQueryString, query) = await RequestTarget.ResolveAsync(context, route);
        using var eventHead = new PooledBuffer(EventHeadBytes);
        var eventRequest = EventRequestFactory.Create(context, rawPath, rawQueryString, query, body.WrittenMemory, settings, requestTime);
        using var output = new PooledBuffer();
        using var cancellation = drain.Link(context.RequestAborted);
        var streamed = target.Function.RuntimeApi == RuntimeApiProtocol.Lambda ? new StreamedReply() : null;
        try
        {
            var result = await dispatcher.InvokeAsync(
                new InvocationRequest
                {
                    RequestId = context.TraceIdentifier,
                    Target = target,
                    Candidates = candidates,
                    Payload = dialect.CreatePayload(eventRequest, eventHead),
                    Output = output,
                    Picker = ClusterPolicyPicker.For(context, candidates, policies),
                    Observer = scope,
                    Abandoned = drain.Ended,
                    StreamedReply = streamed,
                },
                cancellation.Token);
            result = drain.Judge(result, target.FunctionName, context.RequestAborted);
            if (proxy is not null)
            {
                proxy.ProxiedDestination = result.Destination;
            }

            if (result.Outcome != Outcome.Success)
            {
                await FailAsync(context, scope, result, output);
                return;
            }

            await WriteOutputAsync(context, scope, dialect, settings, output, streamed is { IsStarted: true } ? streamed : null, cancellation.Token);
        }
        finally
        {
            // A streamed body the response never took is read and dropped by the runtime API.
            streamed?.End(new(new(Outcome.ClientClosed, "The response was not sent."), StreamRest.Dropped));
        }
    }

    private async Task FailAsync(HttpContext context, InvocationScope scope, InvocationResult result, PooledBuffer? output = null)
    {
        var descriptor = OutcomeTable.Of(result.Outcome);
        if (descriptor.PassiveHealthError != ForwarderError.None)
        {
            context.Features.Set<IForwarderErrorFeature>(new InvocationErrorFeature(descriptor.PassiveHealthError, result.Reason));
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away while the invocation ran (its worker has timed out since): nobody reads the error,
            // and writing it would throw, leaving the request to the fault barrier, whose line names no function.
            await errors.WriteAsync(context, Outcome.ClientClosed);
            scope.Complete(Outcome.ClientClosed, context.Response.StatusCode);
            return;
        }

        await errors.WriteAsync(context, result.Outcome, descriptor.IsFunctionFailure ? null : result.Reason);
        scope.Complete(result.Outcome, context.Response.StatusCode, Dispatch.Push.WorkerErrorText.Reason(result, output));
    }

    /// <summary>
    /// Translates the output into the response; a body the function streams (<paramref name="streamed"/>, whose head the
    /// output holds) is sent on as it comes.
    /// </summary>
    private async Task WriteOutputAsync(
        HttpContext context, InvocationScope scope, IFunctionDialect dialect, GatewaySettings settings, PooledBuffer output, StreamedReply? streamed, CancellationToken cancellation)
    {
        await InlineSocketCompletions.LeaveSocketThreadForAsync(output.WrittenCount);

        var translation = dialect.TranslateOutput(output.WrittenWritableMemory, context.Response.Headers, settings.Limits.MaxResponseHeaderBytes);
        if (translation.DroppedHeaders.Count > 0)
        {
            Log.ResponseHeadersDropped(logger, context.TraceIdentifier, scope.FunctionName, LogText.EscapeNames(translation.DroppedHeaders));
        }

        if (!translation.IsValid)
        {
            await errors.WriteAsync(context, Outcome.BadResponse);
            scope.Complete(Outcome.BadResponse, context.Response.StatusCode, translation.Error!);
            return;
        }

        if (streamed is not null)
        {
            await SendStreamedAsync(context, scope, settings, translation.StatusCode, streamed, cancellation);
            return;
        }

        var sent = await FunctionResponseWriter.WriteAsync(context, translation);
        scope.SetResponseBodySize(sent.Bytes);
        if (sent.ClientGone)
        {
            await errors.WriteAsync(context, Outcome.ClientClosed);
            scope.Complete(Outcome.ClientClosed, context.Response.StatusCode);
            return;
        }

        scope.Complete(Outcome.Success, context.Response.StatusCode);
    }

    private async Task SendStreamedAsync(HttpContext context, InvocationScope scope, GatewaySettings settings, int statusCode, StreamedReply streamed, CancellationToken cancellation)
    {
        context.Response.StatusCode = statusCode;
        if (!FunctionResponseWriter.MayHaveBody(statusCode))
        {
            streamed.End(new(InvocationResult.Success, StreamRest.Dropped));
            scope.Complete(Outcome.Success, statusCode);
            return;
        }

        var (end, bytes) = await StreamedResponseSender.SendAsync(context, streamed, settings.Limits.MaxResponseBodyBytes, StreamedResponseSender.AsItCame, cancellation);
        scope.SetResponseBodySize(bytes);
        if (end.Result.Outcome != Outcome.Success)
        {
            // The client must not take a cut body for a whole one (the drain's end stops a client that is still there):
            // its connection, or its HTTP/2 stream, is reset, as Lambda's function URLs leave it.
            context.Abort();
        }

        // Cut by the drain's end rather than by its client, it is logged as a request the gateway gave up on.
        var result = drain.Judge(end.Result, scope.FunctionName, context.RequestAborted);
        scope.Complete(result.Outcome, statusCode, result.Reason);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.ResponseHeaderDropped, LogLevel.Warning, "Request {RequestId}: function {FunctionName} returned invalid response headers, which were dropped: {HeaderNames}.")]
        public static partial void ResponseHeadersDropped(ILogger logger, string requestId, string functionName, string headerNames);
    }
}
