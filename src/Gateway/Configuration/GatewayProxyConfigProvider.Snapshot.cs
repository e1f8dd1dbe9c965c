using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace FcGateway.Configuration;

internal sealed partial class GatewayProxyConfigProvider
{
    /// <summary>One reading of the routes and clusters, with the token YARP watches for the next.</summary>
    private sealed class Snapshot(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters) : IProxyConfig
    {
        private readonly ConfigurationReloadToken _changed = new();

        /// <summary>
        /// A list of this snapshot's own, even when empty or made from another's routes: what tells YARP's reports of it
        /// (<see cref="IsAmong"/>).
        /// </summary>
        public IReadOnlyList<RouteConfig> Routes { get; } = new List<RouteConfig>(routes).AsReadOnly();

        public IReadOnlyList<ClusterConfig> Clusters => clusters;

        public IChangeToken ChangeToken => _changed;

        public void SignalChanged() => _changed.OnReload();

        /// <summary>
        /// Whether YARP reports this snapshot among <paramref name="reported"/>: itself, or, when the host added a
        /// destination resolver, the configuration YARP made of it with the clusters resolved, which keeps its routes list.
        /// </summary>
        public bool IsAmong(IReadOnlyList<IProxyConfig> reported)
        {
            foreach (var config in reported)
            {
                if (ReferenceEquals(config.Routes, Routes))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
