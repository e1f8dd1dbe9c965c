using FcGateway.Configuration;
using FcWorker.Samples;

namespace FcQuickStart;

/// <summary>
/// Where the quick start runs each sample: at the one destination of the gateway's cluster named after it. A sample's
/// port is written in one place, the gateway's configuration, so the gateway always calls a sample where it listens.
/// </summary>
internal static class SampleAddresses
{
    /// <summary>Each sample's address; a sample without a cluster of its name, or whose cluster has no destination, is left out (nothing would call it).</summary>
    /// <param name="configuration">The gateway's configuration.</param>
    /// <returns>The addresses by sample name.</returns>
    /// <exception cref="GatewayConfigurationException">A sample's cluster has several destinations, or one that is not an http address on this machine; the message lists every such cluster.</exception>
    public static IReadOnlyDictionary<string, Uri> Read(IConfiguration configuration)
    {
        var addresses = new Dictionary<string, Uri>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (var sample in SampleFunctions.All)
        {
            var destinations = configuration.GetSection($"ReverseProxy:Clusters:{sample.Name}:Destinations").GetChildren().ToList();
            if (destinations is [])
            {
                continue;
            }

            if (destinations is [var destination] && Uri.TryCreate(destination["Address"], UriKind.Absolute, out var address)
                && address.Scheme == Uri.UriSchemeHttp && address.IsLoopback)
            {
                addresses[sample.Name] = address;
            }
            else
            {
                problems.Add($"The quick start runs sample {sample.Name} at the destination of cluster '{sample.Name}': give that cluster one destination, with an Address such as http://127.0.0.1:{sample.Port}.");
            }
        }

        return problems is [] ? addresses : throw new GatewayConfigurationException(problems);
    }
}
