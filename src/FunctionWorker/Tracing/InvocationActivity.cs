using System.Diagnostics;
using FcWorker.Invocation;
using Microsoft.AspNetCore.Http;

namespace FcWorker.Tracing;

/// <summary>
/// Starts the span of one platform call, continuing the gateway's W3C trace, so that
/// <see cref="Activity.Current"/> in the handler carries the gateway's trace id.
/// </summary>
internal static class InvocationActivity
{
    private static readonly ActivitySource Source = new(FunctionWorker.ActivitySourceName);

    public static Activity? Start(IHeaderDictionary headers, InvocationPhase phase, InvocationContext context)
    {
        var listened = Source.HasListeners();

        // ASP.NET Core's request activity, when it exists, has already continued the caller's traceparent.
        if (Activity.Current is not null)
        {
            return listened ? Tag(Source.StartActivity(Name(phase, context), ActivityKind.Internal), context) : null;
        }

        string? traceParent = headers.TraceParent;
        if (!ActivityContext.TryParse(traceParent, headers.TraceState, isRemote: true, out var parent))
        {
            return listened ? Tag(Source.StartActivity(Name(phase, context), ActivityKind.Server), context) : null;
        }

        var name = Name(phase, context);
        return (listened ? Tag(Source.StartActivity(name, ActivityKind.Server, parent), context) : null)
            ?? StartUnrecorded(name, parent);
    }

    /// <summary>Nobody records the span, but the handler still sees the caller's trace through <see cref="Activity.Current"/>.</summary>
    private static Activity StartUnrecorded(string name, ActivityContext parent)
    {
        var activity = new Activity(name);
        activity.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
        activity.TraceStateString = parent.TraceState;
        return activity.Start();
    }

    private static string Name(InvocationPhase phase, InvocationContext context) =>
        context.FunctionName.Length == 0 ? phase.SpanName : $"{phase.SpanName} {context.FunctionName}";

    private static Activity? Tag(Activity? activity, InvocationContext context)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("faas.invocation_id", context.RequestId);
            activity.SetTag("faas.name", context.FunctionName);
        }

        return activity;
    }
}
