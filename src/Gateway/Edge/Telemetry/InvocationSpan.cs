using System.Collections.Concurrent;
using System.Diagnostics;
using FcGateway.Diagnostics;
using FcGateway.Configuration;
using Yarp.ReverseProxy.Model;
using FcGateway.Outcomes;

namespace FcGateway.Edge.Telemetry;

/// <summary>
/// The gateway's span of one invocation, <c>invoke {function}</c>, with OpenTelemetry's FaaS and HTTP attributes. Its
/// status comes from the <see cref="Outcome"/>, not from the HTTP status: a 502 is a function error, a 499 a
/// client that went away, a 503/429 a throttle.
/// </summary>
internal static class InvocationSpan
{
    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);

    public static Activity? Start(HttpContext context, string functionName, GatewaySettings settings)
    {
        var activity = StartInvoke(functionName, TelemetryTags.HttpTrigger, context.TraceIdentifier, settings, link: default);
        if (activity is not { IsAllDataRequested: true })
        {
            return activity;
        }

        activity.SetTag(TelemetryTags.HttpMethod, context.Request.Method);
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
        {
            activity.SetTag(TelemetryTags.HttpRoute, route);
        }

        return activity;
    }

    /// <summary>
    /// The span of one attempt of an asynchronous invocation: a trace of its own (the request that accepted it has been
    /// answered), linked to that request's span.
    /// </summary>
    public static Activity? StartAsyncAttempt(string functionName, string requestId, GatewaySettings settings, ActivityContext acceptedBy) =>
        StartInvoke(functionName, TelemetryTags.OtherTrigger, requestId, settings, link: acceptedBy);

    private static Activity? StartInvoke(string functionName, string trigger, string requestId, GatewaySettings settings, ActivityContext link)
    {
        if (!GatewayDiagnostics.Source.HasListeners())
        {
            return null;
        }

        var name = Names.GetOrAdd(functionName, static function => $"invoke {function}");
        var activity = link == default
            ? GatewayDiagnostics.Source.StartActivity(name, ActivityKind.Internal)
            : GatewayDiagnostics.Source.StartActivity(name, ActivityKind.Internal, parentContext: default, links: [new ActivityLink(link)]);
        if (activity is not { IsAllDataRequested: true })
        {
            return activity;
        }

        activity.SetTag(TelemetryTags.FaasTrigger, trigger);
        activity.SetTag(TelemetryTags.FaasInvocationId, requestId);
        activity.SetTag(TelemetryTags.FunctionName, functionName);
        activity.SetTag(TelemetryTags.FaasInvokedProvider, TelemetryTags.AlibabaCloud);
        if (settings.Region.Length > 0)
        {
            activity.SetTag(TelemetryTags.FaasInvokedRegion, settings.Region);
            activity.SetTag(TelemetryTags.CloudRegion, settings.Region);
        }

        if (settings.AccountId.Length > 0)
        {
            activity.SetTag(TelemetryTags.CloudAccountId, settings.AccountId);
        }

        return activity;
    }

    public static void SetDestination(Activity activity, DestinationState destination)
    {
        activity.SetTag(TelemetryTags.Destination, destination.DestinationId);
        // A pulled invocation's instance has an address of the gateway's own, runtime-api:/functions/…, with no host.
        if (Uri.TryCreate(destination.Model.Config.Address, UriKind.Absolute, out var address) && address.Host.Length > 0)
        {
            activity.SetTag(TelemetryTags.ServerAddress, address.Host);
            activity.SetTag(TelemetryTags.ServerPort, address.Port);
        }
    }

    /// <summary>The outcome, and the status the client was answered with (null for an attempt of an asynchronous invocation, which answers no one).</summary>
    public static void SetOutcome(Activity activity, Outcome outcome, int? statusCode)
    {
        if (statusCode is { } status)
        {
            activity.SetTag(TelemetryTags.HttpStatusCode, status);
        }

        var outcomeName = OutcomeTable.Of(outcome).Name;
        activity.SetTag(TelemetryTags.Outcome, outcomeName);
        if (outcome != Outcome.Success)
        {
            activity.SetTag(TelemetryTags.ErrorType, outcomeName);
            activity.SetStatus(ActivityStatusCode.Error, outcomeName);
        }
    }
}
