using FcGateway.Edge;
using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dialects;
using FcGateway.Dispatch;
using FcGateway.Edge.Errors;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Responses;
using FcGateway.Edge.Telemetry;
using FcGateway.Edge.WebTriggers;
using FcGateway.Outcomes;
using Yarp.ReverseProxy.Forwarder;

namespace FcGateway.Edge.HttpTriggers;

/// <summary>
/// The HTTP-trigger endpoint, the function step of the proxy pipeline after YARP's session affinity and passive
/// health. Event mode: the function's dialect turns the request into a payload, dispatch runs the invocation, and
/// the dialect turns the output into the response — or the outcome's error is written. Web mode: hands the request
/// to YARP's forwarder.
/// </summary>
/// <remarks>
/// A conventional middleware (built once with the pipeline), not an <c>IMiddleware</c>: those are resolved per
/// request through a request-scoped factory, which costs every invocation a service scope.
/// </remarks>
internal sealed partial class HttpTriggerMiddleware(
    RequestDelegate next,
    IFunctionDialect dialect,
    FunctionDispatcher dispatcher,
    WebTriggerForwarder webForwarder,
    ClusterPolicies policies,
    GatewayErrorWriter errors,
    InvocationTelemetry telemetry,
    TimeProvider timeProvider,
    ILogger<HttpTriggerMiddleware> logger)
{
    /// <summary>YARP's forwarder, which web-mode routes end in; event mode never calls it.</summary>
    private readonly RequestDelegate _next = next;

    /// <summary>Room for the event's fields other than the body, so most heads fit the first buffer.</summary>
    private const int EventHeadBytes = 2048;

    public async Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var settings = context.GatewaySettings();
        var functionName = FunctionRouteMetadata.GetFunctionName(proxy.Route.Config) ?? proxy.Route.Config.RouteId;
        var target = new FunctionTarget(functionName, settings, proxy.Route.Cluster!);
        using var scope = telemetry.StartInvocation(context, functionName, settings);
        var candidates = proxy.AvailableDestinations;
        if (FunctionRouteMetadata.GetTriggerMode(proxy.Route.Config) == TriggerMode.Web)
        {
            var (outcome, reason) = await webForwarder.ForwardAsync(context, _next, target, scope, candidates);
            scope.Complete(outcome, context.Response.StatusCode, reason);
            return;
        }

        if (candidates.Count == 0)
        {
            await FailAsync(context, scope, new InvocationResult(Outcome.NoInstance, $"Function {functionName} has no available instance."));
            return;
        }

        var requestTime = timeProvider.GetUtcNow();
        using var body = await RequestBodyReader.ReadOrRefuseAsync(context, settings.Limits, errors, scope);
        if (body is null)
        {
            return;
        }

        var (rawPath, query) = await RequestTarget.ResolveAsync(context, proxy.Route);
        using var eventHead = new PooledBuffer(EventHeadBytes);
        var eventRequest = EventRequestFactory.Create(context, rawPath, query, body.WrittenMemory, settings, requestTime);
        using var output = new PooledBuffer();
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
            },
            context.RequestAborted);
        proxy.ProxiedDestination = result.Destination;
        if (result.Outcome != Outcome.Success)
        {
            await FailAsync(context, scope, result, output);
            return;
        }

        await WriteOutputAsync(context, scope, settings, output);
    }

    private async Task FailAsync(HttpContext context, InvocationScope scope, InvocationResult result, PooledBuffer? output = null)
    {
        var descriptor = OutcomeTable.Of(result.Outcome);
        if (descriptor.PassiveHealthError != ForwarderError.None)
        {
            context.Features.Set<IForwarderErrorFeature>(new InvocationErrorFeature(descriptor.PassiveHealthError, result.Reason));
        }

        var reason = result.Outcome == Outcome.FunctionError && output is not null
            ? $"{result.Reason} Error body: {Dispatch.Push.WorkerErrorText.From(output.WrittenSpan)}"
            : result.Reason;
        await errors.WriteAsync(context, result.Outcome, descriptor.IsFunctionFailure ? null : result.Reason);
        scope.Complete(result.Outcome, context.Response.StatusCode, reason);
    }

    private async Task WriteOutputAsync(HttpContext context, InvocationScope scope, GatewaySettings settings, PooledBuffer output)
    {
        var translation = dialect.TranslateOutput(output.WrittenWritableMemory, context.Response.Headers, settings.Limits.MaxResponseHeaderBytes);
        foreach (var name in translation.DroppedHeaders)
        {
            Log.ResponseHeaderDropped(logger, context.TraceIdentifier, scope.FunctionName, LogText.Escape(name));
        }

        if (!translation.IsValid)
        {
            await errors.WriteAsync(context, Outcome.BadResponse);
            scope.Complete(Outcome.BadResponse, context.Response.StatusCode, translation.Error!);
            return;
        }

        await FunctionResponseWriter.WriteAsync(context, translation);
        scope.Complete(Outcome.Success, context.Response.StatusCode);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.ResponseHeaderDropped, LogLevel.Warning, "Request {RequestId}: function {FunctionName} returned the invalid response header '{HeaderName}', which was dropped.")]
        public static partial void ResponseHeaderDropped(ILogger logger, string requestId, string functionName, string headerName);
    }
}
