using FcGateway.Buffers;
using FcGateway.Concurrency;
using FcGateway.Configuration;
using FcGateway.Diagnostics;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Invocation;

/// <summary>
/// Calls a function: waits for an instance with room (<see cref="FunctionInstanceScheduler"/>), invokes it,
/// and frees the instance as soon as the worker has answered. Shared by HTTP triggers and the direct
/// invocation API.
/// </summary>
internal sealed class FunctionCaller(FunctionInstanceScheduler scheduler, WorkerInvoker invoker)
{
    /// <param name="context">The client's request.</param>
    /// <param name="scope">Observes the invocation; receives the chosen instance.</param>
    /// <param name="target">The function, its settings and its cluster.</param>
    /// <param name="candidates">The instances that may serve it (healthy, affinity applied).</param>
    /// <param name="payload">The body for <c>/invoke</c>.</param>
    /// <param name="output">Receives the worker's reply body.</param>
    public async Task<InvocationResult> CallAsync(
        HttpContext context, InvocationScope scope, FunctionTarget target, IReadOnlyList<DestinationState> candidates, WorkerPayload payload, PooledBuffer output)
    {
        var function = target.Function;
        scope.InstanceRequested();
        var acquisition = await scheduler.AcquireAsync(context, target.FunctionName, function, target.Cluster, candidates);
        if (acquisition.Lease is not { } lease)
        {
            return acquisition.Status switch
            {
                AcquireStatus.NoInstance => new(InvocationStatus.NoInstance, $"Function {target.FunctionName} has no available instance."),
                AcquireStatus.QueueFull => new(InvocationStatus.Throttled, $"Every instance of {target.FunctionName} is busy and its queue of {function.MaxQueueLength} is full."),
                AcquireStatus.QueueTimeout => new(InvocationStatus.Throttled, $"No instance of {target.FunctionName} became free within {function.QueueTimeout}."),
                _ => new(InvocationStatus.ClientClosed, "The client went away while waiting for an instance."),
            };
        }

        using (lease)
        {
            scope.SetDestination(lease.Destination);
            if (context.Features.Get<IReverseProxyFeature>() is { } proxy)
            {
                proxy.ProxiedDestination = lease.Destination;
            }

            var invocation = new FunctionInvocation(context.TraceIdentifier, target.FunctionName, function, target.Settings, target.Cluster.Model, lease.Destination);
            var result = await invoker.InvokeAsync(invocation, payload, output, context.RequestAborted);
            scope.WorkerCallEnded();
            return result;
        }
    }
}
