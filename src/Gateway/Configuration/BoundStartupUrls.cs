using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FcGateway.Configuration;

/// <summary>
/// The clients' listeners the gateway bound at its start, each with the port it took: those of <c>Urls</c> (else
/// <c>HTTP_PORTS</c> and <c>HTTPS_PORTS</c>, else Kestrel's default) when it started without <c>Kestrel:Endpoints</c>.
/// An edit's endpoints are checked against these (<see cref="ListenerCollisions.FindInEdit"/>), so that one of them on
/// port 0 (any free port) is known by the port it holds.
/// </summary>
internal sealed class BoundStartupUrls
{
    private readonly IServer _server;

    public BoundStartupUrls(IServer server, IHostApplicationLifetime lifetime)
    {
        _server = server;
        lifetime.ApplicationStarted.Register(() => Bound = Now);
    }

    /// <summary>
    /// The server's addresses (a port of 0 replaced by the one taken) as the gateway started: read then, since the
    /// endpoints an edit adds later are listed there too, and Kestrel binds <c>Urls</c> at start-up only. Empty before
    /// the gateway has started.
    /// </summary>
    public IReadOnlyList<string> Bound { get; private set; } = [];

    /// <summary>
    /// The server's addresses now: <see cref="Bound"/> and the endpoints in force, each as bound (Kestrel removes an
    /// endpoint's when it stops it); before Kestrel has started, the addresses it is to bind, as configured.
    /// </summary>
    public IReadOnlyList<string> Now => [.. _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
}
