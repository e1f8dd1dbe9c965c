using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FcGateway.Configuration;

/// <summary>
/// The clients' listeners the gateway bound at its start, each with the port it took: those of <c>Urls</c> (else
/// <c>HTTP_PORTS</c> and <c>HTTPS_PORTS</c>, else Kestrel's default) when Kestrel started without <c>Kestrel:Endpoints</c>.
/// An edit's endpoints are checked against these (<see cref="ListenerCollisions.FindInEdit"/>), so that one of them on
/// port 0 (any free port) is known by the port it holds. Both are taken as the gateway has started, not as it read its
/// configuration: an edit taken between the two (<see cref="AcceptedKestrelSection"/>) decides what Kestrel binds.
/// </summary>
internal sealed class BoundStartupUrls
{
    private readonly IServer _server;
    private readonly IConfiguration _configuration;
    private readonly AcceptedKestrelSection _kestrel;
    private IConfiguration? _listenersAtStart;
    private bool _started;

    public BoundStartupUrls(IServer server, IHostApplicationLifetime lifetime, IConfiguration configuration, AcceptedKestrelSection kestrel)
    {
        _server = server;
        _configuration = configuration;
        _kestrel = kestrel;
        lifetime.ApplicationStarted.Register(() =>
        {
            _listenersAtStart = ListenersNow();
            Bound = [.. server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
            Volatile.Write(ref _started, true);
        });
    }

    /// <summary>
    /// The settings of the clients' listeners no edit unbinds (<see cref="ListenerCollisions.StartupListenersEditsKeep"/>):
    /// as Kestrel started, once the gateway has; until then, as Kestrel would start now.
    /// </summary>
    public IConfiguration? Listeners => Volatile.Read(ref _started) ? _listenersAtStart : ListenersNow();

    /// <summary>
    /// The server's addresses (a port of 0 replaced by the one taken) as the gateway started: read then, since the
    /// endpoints an edit adds later are listed there too, and Kestrel binds <c>Urls</c> at start-up only. Empty before
    /// the gateway has started.
    /// </summary>
    public IReadOnlyList<string> Bound { get; private set; } = [];

    /// <summary>
    /// The server's addresses now: <see cref="Bound"/> and the endpoints in force, each as bound (Kestrel removes an
    /// endpoint's when it stops it). Empty before the gateway has started (the server lists the addresses it is to bind
    /// until then, as configured).
    /// </summary>
    public IReadOnlyList<string> Now =>
        Volatile.Read(ref _started) ? [.. _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []] : [];

    private IConfiguration? ListenersNow() => ListenerCollisions.StartupListenersEditsKeep(_configuration, _kestrel.Section);
}
