using System.Collections.Concurrent;
using System.Diagnostics;
using FcGateway.Diagnostics;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Diagnostics;

/// <summary>
/// Records every finished span of the sources the gateway exports, as its OpenTelemetry SDK would see them. Listeners
/// are process-wide and other tests run alongside, so spans are looked up by request id or trace id.
/// </summary>
/// <remarks>
/// The sources are exactly the exported ones: a source's spans exist only while some listener samples them, and an
/// OpenTelemetry provider of a test running alongside listens to all of them. Recording fewer (YARP's, say) would let
/// the span tree a test sees depend on which other tests happen to be running.
/// </remarks>
public sealed class RecordedSpans : IDisposable
{
    private static readonly HashSet<string> Sources =
        [GatewayDiagnostics.SourceName, .. TelemetryServiceCollectionExtensions.BuiltInSources];

    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public RecordedSpans()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => Sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The gateway's invocation span of <paramref name="requestId"/>, once it has ended.</summary>
    public async Task<Activity> InvocationAsync(string requestId)
    {
        await Eventually.HoldsAsync(() => _spans.Any(s => IsInvocation(s, requestId)));
        return Assert.Single(_spans, s => IsInvocation(s, requestId));
    }

    /// <summary>Waits until some span matching <paramref name="predicate"/> has ended.</summary>
    public Task EndedAsync(Func<Activity, bool> predicate) => Eventually.HoldsAsync(() => _spans.Any(predicate));

    /// <summary>The one ended span matching <paramref name="predicate"/>, waiting for it.</summary>
    public async Task<Activity> FindAsync(Func<Activity, bool> predicate)
    {
        await Eventually.HoldsAsync(() => _spans.Any(predicate));
        return Assert.Single(_spans, s => predicate(s));
    }

    /// <summary>The ended spans whose parent is <paramref name="parent"/>.</summary>
    public IReadOnlyList<Activity> ChildrenOf(Activity parent) =>
        _spans.Where(s => s.TraceId == parent.TraceId && s.ParentSpanId == parent.SpanId).ToList();

    /// <summary>The ended span <paramref name="spanId"/> of trace <paramref name="traceId"/>, waiting for it to end.</summary>
    public async Task<Activity> SpanAsync(ActivityTraceId traceId, ActivitySpanId spanId)
    {
        await Eventually.HoldsAsync(() => _spans.Any(s => s.TraceId == traceId && s.SpanId == spanId));
        return _spans.First(s => s.TraceId == traceId && s.SpanId == spanId);
    }

    public void Dispose() => _listener.Dispose();

    private static bool IsInvocation(Activity span, string requestId) =>
        span.Source.Name == "FcGateway" && (string?)span.GetTagItem("faas.invocation_id") == requestId;
}
