using System.Diagnostics;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Diagnostics;

/// <summary>One invocation being observed; <see cref="Complete"/> records its outcome once.</summary>
internal sealed class InvocationScope(InvocationTelemetry telemetry, HttpContext context, string functionName, Activity? activity, long startTimestamp)
    : IDisposable
{
    private bool _completed;

    public HttpContext Context { get; } = context;

    public string FunctionName { get; } = functionName;

    public Activity? Activity { get; } = activity;

    public long StartTimestamp { get; } = startTimestamp;

    public DestinationState? Destination { get; private set; }

    /// <summary>The instance chosen for the invocation.</summary>
    public void SetDestination(DestinationState destination)
    {
        Destination = destination;
        Activity?.SetTag("server.address", destination.Model.Config.Address);
    }

    /// <summary>Records the outcome and the status the client received (499 when it went away).</summary>
    public void Complete(InvocationOutcome outcome, int statusCode)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        telemetry.Completed(this, outcome, statusCode);
    }

    public void Dispose() => Activity?.Dispose();
}
