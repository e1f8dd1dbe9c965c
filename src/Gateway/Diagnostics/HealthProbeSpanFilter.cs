using System.Diagnostics;
using OpenTelemetry;

namespace FcGateway.Diagnostics;

/// <summary>
/// Keeps YARP's active health probes out of the exported traces. Every function cluster probes its workers every few
/// seconds by default (docs/gateway.md), and YARP traces each round (<c>proxy.cluster_health_checks</c>, a trace of its own,
/// with a <c>proxy.destination_health_check</c> and HttpClient's <c>GET</c> per worker): some thousand traces an hour per
/// cluster that are not requests. A probe's span is marked not recorded when it starts, so the exporter drops it and the
/// parent-based sampler samples its children out with it; a probe that fails is logged instead (docs/gateway.md).
/// </summary>
internal sealed class HealthProbeSpanFilter : BaseProcessor<Activity>
{
    private const string YarpSource = "Yarp.ReverseProxy";
    private const string ClusterProbes = "proxy.cluster_health_checks";
    private const string DestinationProbe = "proxy.destination_health_check";

    public override void OnStart(Activity data) => DropIfProbe(data);

    // Also when it ends: a span started before the tracer provider listened (the first round runs as the clusters are
    // created, when another listener has the source sampled) reaches the exporter without having been started here.
    public override void OnEnd(Activity data) => DropIfProbe(data);

    private static void DropIfProbe(Activity data)
    {
        // The probe's own HttpClient span too, which a sampler that is not parent-based would still record.
        if (IsProbe(data) || (data.Parent is { } parent && IsProbe(parent)))
        {
            data.IsAllDataRequested = false;
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }

    private static bool IsProbe(Activity activity) =>
        activity.Source.Name == YarpSource && activity.OperationName is ClusterProbes or DestinationProbe;
}
