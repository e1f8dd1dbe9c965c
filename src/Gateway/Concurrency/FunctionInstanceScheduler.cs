using System.Collections.Concurrent;
using FcGateway.Configuration;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Concurrency;

/// <summary>
/// Gives each invocation a worker instance that has room for it: an instance never runs more than the
/// function's <see cref="FunctionSettings.InstanceConcurrency"/> invocations; when all are busy the
/// invocation waits in the function's bounded queue until one frees up, the queue timeout passes, or the
/// client leaves. Among free instances the cluster's YARP load-balancing policy chooses.
/// </summary>
internal sealed class FunctionInstanceScheduler
{
    private static readonly string DefaultPolicy = LoadBalancingPolicies.PowerOfTwoChoices;

    private readonly ConcurrentDictionary<string, FunctionInstanceQueue> _functions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ILoadBalancingPolicy> _policies;
    private readonly TimeProvider _timeProvider;

    public FunctionInstanceScheduler(IEnumerable<ILoadBalancingPolicy> policies, TimeProvider timeProvider)
    {
        _policies = policies.ToDictionary(policy => policy.Name, StringComparer.OrdinalIgnoreCase);
        _timeProvider = timeProvider;
    }

    /// <summary>The functions seen so far, with their running and queued invocations.</summary>
    public IEnumerable<KeyValuePair<string, FunctionInstanceQueue>> Functions => _functions;

    /// <summary>The queue and running count of <paramref name="functionName"/>.</summary>
    public FunctionInstanceQueue QueueOf(string functionName) =>
        _functions.GetOrAdd(functionName, static _ => new FunctionInstanceQueue());

    public async ValueTask<InstanceAcquisition> AcquireAsync(
        HttpContext context, string functionName, FunctionSettings settings, ClusterState cluster, IReadOnlyList<DestinationState> candidates)
    {
        if (candidates.Count == 0)
        {
            return InstanceAcquisition.Failed(AcquireStatus.NoInstance);
        }

        var queue = QueueOf(functionName);
        var policy = PolicyOf(cluster);
        var (lease, waiter, status) = queue.TryAcquire(context, cluster, candidates, settings.InstanceConcurrency, settings.MaxQueueLength, policy);
        if (waiter is null)
        {
            return new InstanceAcquisition(status, lease);
        }

        try
        {
            var destination = await waiter.Granted.WaitAsync(settings.QueueTimeout, _timeProvider, context.RequestAborted);
            return new InstanceAcquisition(AcquireStatus.Acquired, queue.LeaseFor(destination));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            if (!queue.TryLeave(waiter))
            {
                // Granted while giving up: the instance is this caller's, so hand it back.
                queue.LeaseFor(await waiter.Granted).Dispose();
            }

            return InstanceAcquisition.Failed(ex is TimeoutException ? AcquireStatus.QueueTimeout : AcquireStatus.Cancelled);
        }
    }

    private ILoadBalancingPolicy PolicyOf(ClusterState cluster)
    {
        var name = cluster.Model.Config.LoadBalancingPolicy ?? DefaultPolicy;
        return _policies.TryGetValue(name, out var policy) ? policy : _policies[DefaultPolicy];
    }
}
