using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// The health checks of a function cluster, where its <c>HealthCheck</c> section leaves them out. Plain YARP probes
/// nothing and, with no healthy instance, sends requests to every instance (<c>HealthyOrPanic</c>), so a worker that is
/// not running would look ready while each of its invocations fails; a function cluster instead probes its workers and
/// sends nothing to those that stopped answering.
/// </summary>
/// <remarks>
/// Every key a cluster sets wins, each on its own: <c>HealthCheck:Active:Interval</c> alone changes the interval and
/// keeps the probe on; <c>HealthCheck:Active:Enabled: false</c> turns it off; <c>Policy: ConsecutiveFailures</c> brings
/// back YARP's rule that a probe must be answered with a 2xx status.
/// </remarks>
internal static class FunctionClusterHealthDefaults
{
    /// <summary>With no healthy instance a function is answered 503 ResourceThrottled instead of being sent to instances known to be down.</summary>
    public const string AvailableDestinationsPolicy = "HealthyAndUnknown";

    /// <summary>The active policy that counts any HTTP answer to the probe as healthy (the gateway's own, beside YARP's).</summary>
    public const string WorkerAnswersPolicy = "WorkerAnswers";

    /// <summary>
    /// Workers built on the C# SDK answer it with 200 without running the function; FC's contract asks a worker for
    /// <c>POST /invoke</c> only, so other workers may answer it 404, which <see cref="WorkerAnswersPolicy"/> accepts.
    /// </summary>
    public const string ProbePath = "/healthz";

    /// <summary>Often enough that a worker that died is out of rotation within seconds, rarely enough to cost a worker nothing.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    /// <summary>A worker that accepts connections answers a probe in milliseconds, even while it runs invocations.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The cluster's health-check configuration with every key it leaves unset given the gateway's default.</summary>
    public static HealthCheckConfig Apply(HealthCheckConfig? configured)
    {
        var healthCheck = configured ?? new HealthCheckConfig();
        var active = healthCheck.Active ?? new ActiveHealthCheckConfig();
        return healthCheck with
        {
            AvailableDestinationsPolicy = healthCheck.AvailableDestinationsPolicy ?? AvailableDestinationsPolicy,
            Active = active with
            {
                Enabled = active.Enabled ?? true,
                Interval = active.Interval ?? ProbeInterval,
                Timeout = active.Timeout ?? ProbeTimeout,
                Policy = active.Policy ?? WorkerAnswersPolicy,
                Path = active.Path ?? ProbePath,
            },
        };
    }
}
