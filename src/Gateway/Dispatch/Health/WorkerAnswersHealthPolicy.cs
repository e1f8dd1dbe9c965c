using System.Runtime.CompilerServices;
using FcGateway.Configuration;
using FcGateway.Dispatch.Push;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Health;

/// <summary>
/// The active health policy of function clusters, <c>WorkerAnswers</c>: a worker that answers the probe with any HTTP
/// status is up — FC's contract asks a worker to serve <c>POST /invoke</c>, so a 404 on the probe's path still means
/// the process runs and accepts requests — and one that refuses the connection, breaks it or stays silent past the
/// probe's timeout <see cref="FailureThreshold"/> times in a row is down. A worker going down and coming back is
/// logged once each, with the cause, never once per probe.
/// </summary>
internal sealed partial class WorkerAnswersHealthPolicy(
    IDestinationHealthUpdater healthUpdater,
    WorkerInitializer initializer,
    ILogger<WorkerAnswersHealthPolicy> logger)
    : IActiveHealthCheckPolicy
{
    /// <summary>Failed probes in a row that take a worker out of rotation: one lost probe (a pause, a full backlog) does not.</summary>
    public const int FailureThreshold = 2;

    private readonly ConditionalWeakTable<DestinationState, StrongBox<int>> _failuresInARow = [];

    public string Name => FunctionClusterHealthDefaults.WorkerAnswersPolicy;

    public void ProbingCompleted(ClusterState cluster, IReadOnlyList<DestinationProbingResult> probingResults)
    {
        var health = new NewActiveDestinationHealth[probingResults.Count];
        for (var i = 0; i < probingResults.Count; i++)
        {
            health[i] = new NewActiveDestinationHealth(probingResults[i].Destination, Judge(cluster, probingResults[i]));
        }

        healthUpdater.SetActive(cluster, health);
    }

    private DestinationHealth Judge(ClusterState cluster, DestinationProbingResult probe)
    {
        var destination = probe.Destination;
        var previous = destination.Health.Active;
        var failures = _failuresInARow.GetOrCreateValue(destination);
        if (probe.Response is not null)
        {
            Interlocked.Exchange(ref failures.Value, 0);
            if (previous == DestinationHealth.Unhealthy)
            {
                Log.WorkerUp(logger, destination.DestinationId, cluster.ClusterId, destination.Model.Config.Address);
            }

            return DestinationHealth.Healthy;
        }

        if (Interlocked.Increment(ref failures.Value) < FailureThreshold)
        {
            return previous;
        }

        if (previous != DestinationHealth.Unhealthy)
        {
            // Whatever answers at its address again is another process, to be initialized before its first invoke.
            initializer.Forget(destination.Model.Config.Address);
            Log.WorkerDown(logger, destination.DestinationId, cluster.ClusterId, destination.Model.Config.Address, Cause(cluster, probe.Exception));
        }

        return DestinationHealth.Unhealthy;
    }

    private static string Cause(ClusterState cluster, Exception? exception) => exception switch
    {
        OperationCanceledException => $"no answer within {cluster.Model.Config.HealthCheck?.Active?.Timeout}",
        null => "no answer",
        _ => WorkerConnectionFailure.Cause(exception),
    };

    private static partial class Log
    {
        [LoggerMessage(EventIds.WorkerDown, LogLevel.Warning, "Worker {DestinationId} of cluster {ClusterId} at {Address} does not answer health probes ({Cause}): it gets no invocations until it answers again.")]
        public static partial void WorkerDown(ILogger logger, string destinationId, string clusterId, string address, string cause);

        [LoggerMessage(EventIds.WorkerUp, LogLevel.Information, "Worker {DestinationId} of cluster {ClusterId} at {Address} answers health probes again.")]
        public static partial void WorkerUp(ILogger logger, string destinationId, string clusterId, string address);
    }
}
