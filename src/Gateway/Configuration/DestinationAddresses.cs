using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

/// <summary>
/// Checks that every destination of a cluster has an absolute http or https address (and health address, when set).
/// YARP's validator does not look at addresses: a bad one would only fail at each request, with a stack trace. A missing
/// address is YARP's own problem ("No address found for destination …"), not listed twice.
/// </summary>
internal static class DestinationAddresses
{
    /// <summary>Lists what is wrong with the addresses of <paramref name="cluster"/>'s destinations; empty when they are valid.</summary>
    public static IEnumerable<string> Validate(ClusterConfig cluster)
    {
        foreach (var (name, destination) in cluster.Destinations ?? new Dictionary<string, DestinationConfig>())
        {
            if (!string.IsNullOrEmpty(destination.Address) && !IsHttpUrl(destination.Address))
            {
                yield return Problem(cluster.ClusterId, name, nameof(DestinationConfig.Address), destination.Address);
            }

            if (!string.IsNullOrEmpty(destination.Health) && !IsHttpUrl(destination.Health))
            {
                yield return Problem(cluster.ClusterId, name, nameof(DestinationConfig.Health), destination.Health);
            }
        }
    }

    private static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static string Problem(string cluster, string destination, string key, string? address) =>
        $"Cluster '{cluster}' destination '{destination}': {key} '{address}' is not an absolute http or https URL: set ReverseProxy:Clusters:{cluster}:Destinations:{destination}:{key} to the worker's base address, e.g. http://127.0.0.1:9000.";
}
