using System.Diagnostics;

namespace FcGateway.RuntimeApi;

/// <summary>
/// The invocation's trace, handed to the worker with <c>next</c> so its spans and logs join the gateway's: W3C
/// <c>traceparent</c> for FC workers, as pushed invocations carry it; the X-Ray form of the same ids in
/// <c>Lambda-Runtime-Trace-Id</c> for Lambda workers (aws-lambda-go puts it in <c>_X_AMZN_TRACE_ID</c>).
/// </summary>
internal static class TraceContextHeaders
{
    public const string TraceParent = "traceparent";

    public static string W3C(ActivityContext trace) =>
        $"00-{trace.TraceId.ToHexString()}-{trace.SpanId.ToHexString()}-{(IsSampled(trace) ? "01" : "00")}";

    /// <summary>X-Ray's root id is the W3C trace id with a dash after its first eight digits (the epoch seconds in X-Ray's own ids).</summary>
    public static string XRay(ActivityContext trace)
    {
        var traceId = trace.TraceId.ToHexString();
        return $"Root=1-{traceId[..8]}-{traceId[8..]};Parent={trace.SpanId.ToHexString()};Sampled={(IsSampled(trace) ? "1" : "0")}";
    }

    private static bool IsSampled(ActivityContext trace) => (trace.TraceFlags & ActivityTraceFlags.Recorded) != 0;
}
