using System.Diagnostics;

namespace FcGateway.Dispatch;

/// <summary>
/// Makes sure an invocation runs inside an <see cref="Activity"/>, so the worker call always carries W3C
/// <c>traceparent</c>/<c>tracestate</c>: ASP.NET Core creates one per request only while something listens,
/// and a worker should be able to correlate its logs with the gateway's even when nothing does.
/// </summary>
internal static class InvocationActivity
{
    public const string Name = "FcGateway.Invoke";

    /// <returns>The activity started here, to dispose after the invocation; null when one was already current.</returns>
    public static Activity? StartIfNoneCurrent() =>
        Activity.Current is null ? new Activity(Name).SetIdFormat(ActivityIdFormat.W3C).Start() : null;
}
