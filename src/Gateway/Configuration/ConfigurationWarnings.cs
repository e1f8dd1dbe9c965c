namespace FcGateway.Configuration;

/// <summary>
/// What a configuration runs with that may be a mistake: functions named by a route without a <c>Gateway:Functions</c>
/// entry (they run with the defaults), clusters a pushed function's route goes to without destinations, and functions
/// with an entry that no route names (nothing reaches them).
/// </summary>
internal sealed partial class ConfigurationWarnings(
    IReadOnlyCollection<string> functionsWithoutSettings, IReadOnlyCollection<string> clustersWithoutDestinations, IReadOnlyCollection<string> functionsWithoutRoutes)
{
    /// <summary>Logs one warning for each, in the order of their names.</summary>
    public void Log(ILogger logger)
    {
        var defaults = FunctionSettings.Default;
        foreach (var function in functionsWithoutSettings)
        {
            Messages.FunctionWithoutSettings(logger, function, defaults.Timeout, defaults.InstanceConcurrency, defaults.MaxQueueLength, defaults.QueueTimeout, defaults.MemorySize);
        }

        foreach (var cluster in clustersWithoutDestinations)
        {
            Messages.ClusterWithoutDestinations(logger, cluster);
        }

        foreach (var function in functionsWithoutRoutes)
        {
            Messages.FunctionWithoutRoutes(logger, function);
        }
    }

    private static partial class Messages
    {
        // A warning, not an error: a function may rightly run with the defaults, but a typo ("ech0") must not pass unseen.
        [LoggerMessage(EventIds.FunctionWithoutSettings, LogLevel.Warning, "Function '{Function}' is named by a route but has no Gateway:Functions:{Function} entry, so it runs with the defaults (Timeout {Timeout}, InstanceConcurrency {InstanceConcurrency}, MaxQueueLength {MaxQueueLength}, QueueTimeout {QueueTimeout}, MemorySize {MemorySize}); add the entry or fix the route's Metadata:FunctionName.")]
        public static partial void FunctionWithoutSettings(ILogger logger, string function, TimeSpan timeout, int instanceConcurrency, int maxQueueLength, TimeSpan queueTimeout, int memorySize);

        [LoggerMessage(EventIds.FunctionWithoutRoutes, LogLevel.Warning, "Function '{Function}' has a Gateway:Functions:{Function} entry but no route names it, so neither an HTTP trigger nor the invocation API (FC's, or Lambda's Invoke) reaches it: they answer that it does not exist. Add a route with Metadata:FunctionName '{Function}', or fix the name.")]
        public static partial void FunctionWithoutRoutes(ILogger logger, string function);

        // A warning, not an error: a reload may give the cluster its workers later, but until then nothing can be invoked.
        [LoggerMessage(EventIds.ClusterWithoutDestinations, LogLevel.Warning, "Cluster '{Cluster}' has no destinations, so the functions its routes trigger answer 503 ResourceThrottled and /readyz is not ready: add ReverseProxy:Clusters:{Cluster}:Destinations:<name>:Address, the base address of a worker.")]
        public static partial void ClusterWithoutDestinations(ILogger logger, string cluster);
    }
}
