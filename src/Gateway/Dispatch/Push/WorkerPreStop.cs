using System.Collections.Concurrent;
using FcGateway.Configuration;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Http;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace FcGateway.Dispatch.Push;

/// <summary>
/// Sends <c>GET /pre-stop</c> (wire contract §2) to each worker instance of a pushed function that a reload retires: a
/// function and address the configuration in force had and the one YARP has just applied has not (the destination removed
/// or given another address, its cluster or route or the function removed, the function made to pull). Only for a
/// function whose settings before the edit said <c>PreStop</c>, once per retirement (an address retired again before its
/// pre-stop was sent gets one, after both retirements' invocations), and once the invocations the instance ran
/// when it was retired have ended: those in flight finish first; a destination moved to another address runs its later
/// ones there. Bounded by the function's <c>Timeout</c>; the answer is
/// logged and changes nothing. The gateway's own stop retires nothing: a pushed worker outlives it, and may serve another
/// of its replicas. An instance sent its pre-stop has been told it stops: its initialization is forgotten, so a worker
/// answering at its address when a later reload gives it back is initialized first.
/// </summary>
internal sealed partial class WorkerPreStop(
    IServiceProvider services, GatewaySettingsMonitor settings, FunctionInstanceScheduler scheduler, WorkerInitializer initializer,
    RequestIdGenerator requestIds, TimeProvider time, ILogger<WorkerPreStop> logger) : IConfigChangeListener
{
    private Dictionary<(string Function, string Address), PushedInstance> _inForce = [];

    /// <summary>
    /// For each instance retired and not yet sent its pre-stop, the wait for it to run nothing: an address retired again
    /// before then (given back and retired by later reloads) waits for this too, and only the latest retirement sends.
    /// </summary>
    private readonly ConcurrentDictionary<(string Function, string Address), Task> _retiring = new();

    /// <summary>
    /// YARP's state, looked up at its first change rather than injected: YARP's config manager, which is the lookup, is
    /// made with its change listeners, this among them.
    /// </summary>
    private IProxyStateLookup ProxyState => field ??= services.GetRequiredService<IProxyStateLookup>();

    /// <summary>Called by YARP once a configuration is in force, the first at start-up; compares it with the one before.</summary>
    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        try
        {
            var next = PushedInstances.Read(ProxyState, settings.Current);
            var previous = Interlocked.Exchange(ref _inForce, next);
            HashSet<(string Function, DestinationState Destination)>? stillInForce = null;
            foreach (var (key, instance) in previous)
            {
                if (instance.Function.PreStop && !next.ContainsKey(key))
                {
                    Log.Retired(logger, instance.FunctionName, instance.Address);
                    stillInForce ??= next.Values.SelectMany(kept => kept.Destinations.Select(destination => (kept.FunctionName, destination))).ToHashSet();
                    var drained = Task.WhenAll(instance.Destinations.Select(destination => WhenRetiredInvocationsEnded(instance, destination, stillInForce)));
                    if (_retiring.TryGetValue(key, out var earlier))
                    {
                        drained = Task.WhenAll(drained, earlier);
                    }

                    _retiring[key] = drained;
                    _ = PreStopAsync(instance, drained);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // YARP would take an exception for a failed apply and have the previous settings put back under its new routes.
            Log.RetirementsNotRead(logger, ex.Message);
        }
    }

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception)
    {
    }

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
    }

    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception)
    {
    }

    /// <summary>
    /// Completes once <paramref name="destination"/> runs none of the function's invocations at the retired address: when
    /// it was removed, once it runs nothing; when it was moved to another address (it is still the function's), once those
    /// it ran before the reload have ended, the later ones running at its new address. A destination another function
    /// keeps (their routes share its cluster) was not moved for this one, whose invocations that chose it before the reload
    /// may still be handed it.
    /// </summary>
    private Task WhenRetiredInvocationsEnded(
        PushedInstance instance, DestinationState destination, HashSet<(string Function, DestinationState Destination)> stillInForce)
    {
        var queue = scheduler.QueueOf(instance.FunctionName);
        return stillInForce.Contains((instance.FunctionName, destination)) ? queue.WhenRunningNowEnded(destination) : queue.WhenRunsNothing(destination);
    }

    /// <summary>Waits until the invocations the retired instance ran have ended, then sends its pre-stop and logs the answer; never throws.</summary>
    private async Task PreStopAsync(PushedInstance instance, Task drained)
    {
        var requestId = requestIds.Next();
        try
        {
            await drained;
            if (!_retiring.TryRemove(new((instance.FunctionName, instance.Address), drained)))
            {
                // Retired again by a later reload, whose pre-stop waits for this one's invocations too.
                return;
            }

            if (Volatile.Read(ref _inForce).ContainsKey((instance.FunctionName, instance.Address)))
            {
                // A later reload gave the function its address back while the instance finished its invocations.
                Log.Restored(logger, instance.FunctionName, instance.Address);
                return;
            }

            initializer.Forget(instance.FunctionName, instance.Address);
            using var timeout = new CancellationTokenSource(instance.Function.Timeout, time);
            using var request = WorkerRequestFactory.CreatePreStop(instance, requestId);
            using var reply = await instance.Cluster.HttpClient.SendAsync(request, timeout.Token);
            if (WorkerReply.IsSuccess(reply))
            {
                Log.PreStopped(logger, instance.FunctionName, instance.Address, requestId, (int)reply.StatusCode);
                return;
            }

            // The start of the answer's body, escaped and bounded as other worker text; the rest is not read.
            var (body, isHead) = await WorkerReply.BodyHeadAsync(reply, LogText.MaxTextLength, timeout.Token);
            Failed($"it answered {WorkerReply.Describe(reply)}: {(isHead ? LogText.EscapeHead(body) : LogText.EscapeText(body))}");
        }
        catch (OperationCanceledException)
        {
            Failed($"it did not answer within the function's Timeout, {instance.Function.Timeout}.");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Failed($"it could not be reached: {LogText.EscapeText(ex.Message)}");
        }

        void Failed(string reason) => Log.PreStopFailed(logger, instance.FunctionName, instance.Address, requestId, reason);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.WorkerRetired, LogLevel.Information, "Function '{Function}': the worker at {Address} is retired by the reload; it gets its pre-stop once it runs none of the function's invocations.")]
        public static partial void Retired(ILogger logger, string function, string address);

        [LoggerMessage(EventIds.WorkerRetired, LogLevel.Information, "Function '{Function}': the worker at {Address}, retired by a reload, is the function's again since a later one: it gets no pre-stop.")]
        public static partial void Restored(ILogger logger, string function, string address);

        [LoggerMessage(EventIds.WorkerPreStopped, LogLevel.Information, "Function '{Function}': the worker at {Address}, retired by a reload, answered its pre-stop {RequestId} with HTTP {StatusCode}.")]
        public static partial void PreStopped(ILogger logger, string function, string address, string requestId, int statusCode);

        [LoggerMessage(EventIds.WorkerPreStopFailed, LogLevel.Warning, "Function '{Function}': the worker at {Address}, retired by a reload, failed its pre-stop {RequestId}; nothing else changes: {Reason}")]
        public static partial void PreStopFailed(ILogger logger, string function, string address, string requestId, string reason);

        [LoggerMessage(EventIds.WorkerPreStopFailed, LogLevel.Error, "The worker instances this reload retired could not be found, and get no pre-stop: {Reason}")]
        public static partial void RetirementsNotRead(ILogger logger, string reason);
    }
}
