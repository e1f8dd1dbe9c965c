using System.Diagnostics;
using FcGateway.Dispatch;
using FcGateway.Dispatch.Push;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Edge.Errors;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Telemetry;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Edge.WebTriggers;

/// <summary>
/// Forwards a web-mode request with YARP's forwarder to an instance with room, bounded by the function
/// timeout. A worker that cannot be reached, fails, or runs out of time is answered with 502 and the
/// request id; a request body that is malformed or passes the limit (reading stops there — Kestrel's limit, or for a
/// body without a Content-Length <see cref="UnsizedRequestBodies.LimitedBody"/> — so the worker never gets it whole) is the
/// client's fault, 400; a response body over the limit is a bad response,
/// 502. Once the response has started streaming, the connection is cut instead. At shutdown, a request the drain's end
/// finds still waiting or running is answered 503 ResourceThrottled as an event-mode one is (<see cref="RequestDrain"/>).
/// A function that declares an initializer has each instance initialized (<c>POST /initialize</c>) before the first
/// request it is forwarded, within the same timeout, as an event function's instance is before its first invoke. A
/// request that never reached its worker (the address refused the connection) goes to another instance, as an event
/// function's invocation does.
/// </summary>
internal sealed class WebTriggerForwarder(
    FunctionInstanceScheduler scheduler,
    ClusterPolicies policies,
    WorkerInitializer initializer,
    GatewayErrorWriter errors,
    RequestDrain drain,
    TimeProvider timeProvider)
{
    /// <summary>The function's time ran out while the client was still sending the request body: the client's doing, 408.</summary>
    private static readonly (Outcome Error, string Message) SlowUpload =
        (Outcome.RequestTooSlow, "The request body did not arrive in time: the function's timeout passed while the client was still sending it.");

    /// <returns>How the request ended, and why when it failed; the response (or its error) is written.</returns>
    /// <remarks>
    /// A request whose connection the worker's address refused (or its <c>/initialize</c> call's) never reached the worker,
    /// whatever its method: it goes to another instance (<see cref="RefusedConnectionRetry"/>), its body still unread.
    /// </remarks>
    public async Task<(Outcome Outcome, string Reason)> ForwardAsync(
        HttpContext context, RequestDelegate forward, FunctionTarget target, InvocationScope scope, IReadOnlyList<DestinationState> candidates)
    {
        scope.InstanceRequested();
        var retry = new RefusedConnectionRetry(candidates, target.Function, timeProvider);
        var requestBody = WatchBody(context, target);
        while (true)
        {
            InstanceAcquisition acquisition;
            using (var cancellation = drain.Link(context.RequestAborted))
            {
                acquisition = await scheduler.AcquireAsync(
                    target.FunctionName, target.Function, target.Cluster, retry.Candidates, ClusterPolicyPicker.For(context, retry.Candidates, policies), cancellation.Token,
                    queueTimeout: retry.QueueTimeout);
            }

            if (acquisition.Lease is not { } lease)
            {
                return await RefusedAsync(context, target, acquisition.Status);
            }

            (Outcome Outcome, string Reason) ended;
            using (lease)
            {
                context.GetReverseProxyFeature().AvailableDestinations = lease.Destination;
                scope.InstanceChosen(lease.Destination);
                ended = await ForwardWithinTimeoutAsync(context, forward, target, scope, lease.Destination, requestBody);
            }

            if (ended.Outcome != Outcome.InstanceGone)
            {
                return ended;
            }

            if (!retry.TryAnother(lease.Destination))
            {
                await errors.WriteAsync(context, Outcome.WorkerCrashed);
                return (Outcome.WorkerCrashed, ended.Reason);
            }

            // YARP answered the refusal 502 and said why, and tagged its span with the refused destination: the next
            // instance's answer and tags replace them.
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
            ProxySpan.ForgetForward(Activity.Current);
        }
    }

    /// <returns>
    /// How the request ended, its answer written; <see cref="Outcome.InstanceGone"/>, with nothing written, when the worker
    /// was never reached (its address refused the connection) and another instance may take the request.
    /// </returns>
    private async Task<(Outcome, string)> ForwardWithinTimeoutAsync(
        HttpContext context, RequestDelegate forward, FunctionTarget target, InvocationScope scope, DestinationState destination, WatchedRequestBody? requestBody)
    {
        var clientAborted = context.RequestAborted;
        using var deadline = new WebInvocationDeadline(target.Function.Timeout, timeProvider, clientAborted, drain.Ended);
        if (target.Function.Initializer && await InitializeAsync(context, target, destination, deadline) is { } initializationFailed)
        {
            return initializationFailed;
        }

        // YARP's forwarder stops the proxied call when RequestAborted fires; this token also fires at the deadline.
        context.RequestAborted = deadline.Token;

        // A reload may move the destination to another address while the request runs: a crash is that of the worker
        // the request was forwarded to.
        var forwardedTo = destination.Model;
        var body = CountedResponseBody.Install(context);
        try
        {
            await forward(context);
        }
        finally
        {
            context.RequestAborted = clientAborted;
            body.Uninstall(context);
        }

        if (requestBody is not null)
        {
            scope.SetRequestBodySize(requestBody.BytesRead);
        }

        // Once YARP started the response, the bytes it wrote are what the client got; before, an error is written below.
        if (context.Response.HasStarted)
        {
            scope.SetResponseBodySize(body.BytesWritten);
        }

        if (context.GetForwarderErrorFeature() is not { Error: not ForwarderError.None } failure)
        {
            return (Outcome.Success, "");
        }

        if (failure is { Error: ForwarderError.Request, Exception: { } refused } && WorkerConnectionFailure.IsConnectFailure(refused)
            && requestBody is not { BytesRead: > 0 } && RefusedWebRequest.MayGoToAnotherInstance(context.Request, forwardsABody: requestBody is not null))
        {
            // Nothing took the connection, so nothing of the request was sent (nor any of its body read), or it may be sent
            // again: another instance may take it.
            var address = WorkerEndpoint.For(forwardedTo).Address;
            initializer.Forget(address);
            return (Outcome.InstanceGone, WorkerConnectionFailure.Describe(refused, address));
        }

        // A failure after the response started makes YARP abort the client's connection: the deadline remembers
        // whether the client left first, and a failure on the worker's side is the worker's whatever came after it.
        var workersSide = IsOnTheWorkersSide(failure.Error);
        if (deadline.DrainEndedFirst && !workersSide)
        {
            return await GaveUpAsync(context, target);
        }

        if (deadline.ClientLeftFirst && !workersSide)
        {
            return await ClientClosedAsync(context);
        }

        // A client that closed its connection (FIN) in the middle of its body left, as in event mode: not a malformed body.
        if (RequestBodyFailure.IsCutShort(context.Request, failure.Exception))
        {
            return await ClientClosedAsync(context);
        }

        if (RequestBodyFailure.TryClassify(failure.Exception, target.Settings.Limits.MaxRequestBodyBytes, out var bodyError))
        {
            RequestBodyFailure.NoteWhetherStopped(context, failure.Exception);
            await errors.WriteAsync(context, bodyError.Error, bodyError.Message);
            return (bodyError.Error, bodyError.Message);
        }

        // The client's connection can fail under YARP (a reset) a moment before Kestrel fires RequestAborted for it.
        if (IsOnTheClientsSide(failure.Error) && RequestBodyFailure.IsClientGone(failure.Exception))
        {
            return await ClientClosedAsync(context);
        }

        if (deadline.TimedOut && requestBody is { ReadCancelled: true })
        {
            context.GatewayRequest().BodyStopped = true;
            await errors.WriteAsync(context, SlowUpload.Error, SlowUpload.Message);
            return SlowUpload;
        }

        var outcome = failure.Exception is BadWebResponseException || WorkerConnectionFailure.IsMalformedReply(failure.Exception, request: null) ? Outcome.BadResponse
            : deadline.TimedOut && !workersSide ? Outcome.Timeout
            : Outcome.WorkerCrashed;
        if (outcome == Outcome.WorkerCrashed)
        {
            initializer.Forget(WorkerEndpoint.For(forwardedTo).Address);
        }

        var reason = outcome == Outcome.Timeout ? $"{TimeoutText.For(target.Function.Timeout)}." : Describe(failure);
        await errors.WriteAsync(context, outcome);
        return (outcome, reason);
    }

    /// <returns>Null once the instance is initialized; otherwise how the request ended, its answer written.</returns>
    private async Task<(Outcome, string)?> InitializeAsync(HttpContext context, FunctionTarget target, DestinationState destination, WebInvocationDeadline deadline)
    {
        var invocation = new FunctionInvocation(context.TraceIdentifier, target.FunctionName, target.Function, target.Settings, target.Cluster.Model, destination);
        try
        {
            await initializer.EnsureInitializedAsync(invocation, deadline.Token);
            return null;
        }
        catch (WorkerInitializationException ex) when (ex.NeverReached)
        {
            return (Outcome.InstanceGone, ex.Message);
        }
        catch (WorkerInitializationException ex)
        {
            await errors.WriteAsync(context, Outcome.InitializationFailed);
            return (Outcome.InitializationFailed, ex.Message);
        }
        catch (OperationCanceledException) when (deadline.Token.IsCancellationRequested)
        {
            if (deadline.DrainEndedFirst)
            {
                return await GaveUpAsync(context, target);
            }

            if (deadline.ClientLeftFirst)
            {
                return await ClientClosedAsync(context);
            }

            var reason = $"{TimeoutText.For(target.Function.Timeout)}.";
            await errors.WriteAsync(context, Outcome.Timeout);
            return (Outcome.Timeout, reason);
        }
    }

    private async Task<(Outcome, string)> RefusedAsync(HttpContext context, FunctionTarget target, Outcome outcome)
    {
        if (outcome == Outcome.ClientClosed && drain.CutShort(context.RequestAborted))
        {
            return await GaveUpAsync(context, target);
        }

        var busy = outcome is Outcome.QueueFull or Outcome.QueueTimeout ? $"Every instance of {target.FunctionName} is busy." : null;
        await errors.WriteAsync(context, outcome, busy);
        return (outcome, busy ?? outcome.ToString());
    }

    /// <summary>503 when the response has not started (the connection is cut otherwise), logged as the drain's doing.</summary>
    private async Task<(Outcome, string)> GaveUpAsync(HttpContext context, FunctionTarget target)
    {
        var result = RequestDrain.GaveUp(target.FunctionName);
        await errors.WriteAsync(context, result.Outcome, result.Reason);
        return (result.Outcome, result.Reason);
    }

    /// <summary>499 in the records, and the request aborted (YARP may have set a status for the failure already).</summary>
    private async Task<(Outcome, string)> ClientClosedAsync(HttpContext context)
    {
        await errors.WriteAsync(context, Outcome.ClientClosed);
        return (Outcome.ClientClosed, "The client went away while the web function answered.");
    }

    /// <summary>
    /// A request that can have a body gets it through a <see cref="WatchedRequestBody"/> (one without a Content-Length also bounded by
    /// <c>MaxRequestBodyBytes</c>), once whatever instance it goes to; null for one that cannot.
    /// </summary>
    private static WatchedRequestBody? WatchBody(HttpContext context, FunctionTarget target)
    {
        if (UnsizedRequestBodies.IsOne(context.Request))
        {
            context.Request.Body = UnsizedRequestBodies.LimitedBody(context.Request.Body, target.Settings.Limits.MaxRequestBodyBytes);
        }

        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: true })
        {
            return null;
        }

        var body = new WatchedRequestBody(context.Request.Body);
        context.Request.Body = body;
        return body;
    }

    private static bool IsOnTheClientsSide(ForwarderError error) => error is ForwarderError.RequestBodyClient
        or ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient;

    private static bool IsOnTheWorkersSide(ForwarderError error) => error is ForwarderError.ResponseBodyDestination
        or ForwarderError.RequestBodyDestination or ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination;

    /// <summary>
    /// YARP's error in the gateway's words. YARP calls the worker the destination: its <c>ResponseBodyDestination</c> is
    /// the worker's response body failing (cut short, over the limit), not the way to the client.
    /// </summary>
    private static string Describe(IForwarderErrorFeature failure)
    {
        var fault = failure.Error switch
        {
            ForwarderError.Request => "The worker could not be reached or did not answer",
            ForwarderError.ResponseHeaders => "The worker's response could not be passed on",
            ForwarderError.ResponseBodyDestination => "Reading the worker's response body failed",
            ForwarderError.RequestBodyDestination => "The worker stopped taking the request body",
            ForwarderError.UpgradeRequestDestination or ForwarderError.UpgradeResponseDestination => "The worker's side of the upgraded connection failed",
            ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient => "The client's side of the connection failed",
            _ => "Forwarding to the worker failed",
        };
        return $"{fault} (YARP {failure.Error}): {failure.Exception?.Message}";
    }
}
