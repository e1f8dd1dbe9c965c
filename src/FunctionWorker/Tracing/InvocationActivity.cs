using System.Diagnostics;
using FcWorker.Invocation;
using Microsoft.AspNetCore.Http;

namespace FcWorker.Tracing;

/// <summary>
/// Starts the span of one platform call (<c>invoke {function}</c>, <c>initialize {function}</c>, <c>pre-stop {function}</c>)
/// from the <c>FcWorker</c> <see cref="ActivitySource"/>, continuing the gateway's W3C trace with OpenTelemetry's FaaS
/// attributes, so that <see cref="Activity.Current"/> in the handler carries the gateway's trace id.
/// </summary>
internal static class InvocationActivity
{
    private static readonly ActivitySource Source = new(FunctionWorker.ActivitySourceName);
    private static int _warm;

    public static Activity? Start(IHeaderDictionary headers, InvocationPhase phase, InvocationContext context)
    {
        var coldStart = Volatile.Read(ref _warm) == 0 && Interlocked.Exchange(ref _warm, 1) == 0;
        var current = Activity.Current;
        string? traceParent = headers.TraceParent;
        var hasCaller = ActivityContext.TryParse(traceParent, headers.TraceState, isRemote: true, out var caller);
        var name = Name(phase, context);
        if (Source.HasListeners())
        {
            // ASP.NET Core's request span, when recorded, already is the server span continuing the caller's trace, and
            // ours is its child. Otherwise ours is the server span, parented on the caller's traceparent itself so no
            // unrecorded span sits between the gateway's span and the worker's. (ASP.NET Core's activity exists even
            // when nobody listens, whenever logging is on, and then comes from no source and inherits the caller's
            // sampled flag: only a source with listeners tells a recorded span.)
            var activity = current is { IsAllDataRequested: true, Recorded: true } && current.Source.HasListeners()
                ? Source.StartActivity(name, ActivityKind.Internal)
                : Source.StartActivity(name, ActivityKind.Server, hasCaller ? caller : default);
            if (activity is not null)
            {
                return Tag(activity, phase, context, coldStart);
            }
        }

        // Nobody records the span. ASP.NET Core's request activity, when it exists, has already continued the caller's
        // traceparent; without it, an unrecorded activity still lets the handler see the caller's trace.
        return current is null && hasCaller ? StartUnrecorded(name, caller) : null;
    }

    /// <summary>Marks the span failed by <paramref name="exception"/> (the handler threw; FC's error reply follows).</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.AddException(exception);
    }

    private static Activity StartUnrecorded(string name, ActivityContext parent)
    {
        var activity = new Activity(name);
        activity.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
        activity.TraceStateString = parent.TraceState;
        return activity.Start();
    }

    private static string Name(InvocationPhase phase, InvocationContext context) =>
        context.FunctionName.Length == 0 ? phase.SpanName : $"{phase.SpanName} {context.FunctionName}";

    private static Activity Tag(Activity activity, InvocationPhase phase, InvocationContext context, bool coldStart)
    {
        if (!activity.IsAllDataRequested)
        {
            return activity;
        }

        activity.SetTag("faas.invocation_id", context.RequestId);
        activity.SetTag("faas.name", context.FunctionName);
        activity.SetTag("faas.coldstart", coldStart);
        activity.SetTag("cloud.provider", "alibaba_cloud");
        activity.SetTag("cloud.platform", "alibaba_cloud_fc");
        SetIfPresent(activity, "cloud.region", context.Region);
        SetIfPresent(activity, "cloud.account.id", context.AccountId);
        SetIfPresent(activity, "faas.version", context.VersionId.Length > 0 ? context.VersionId : context.Qualifier);
        if (phase != InvocationPhase.Invoke)
        {
            // Lifecycle calls come from the platform itself, not from a trigger.
            activity.SetTag("faas.trigger", "other");
        }

        return activity;
    }

    private static void SetIfPresent(Activity activity, string name, string value)
    {
        if (value.Length > 0)
        {
            activity.SetTag(name, value);
        }
    }
}
