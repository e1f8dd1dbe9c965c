using Microsoft.AspNetCore.Hosting.Server.Features;

namespace FcGateway.Configuration;

/// <summary>
/// The clients' listeners Kestrel bound at its start, each with the port it took: those of <c>Urls</c> (else
/// <c>HTTP_PORTS</c> and <c>HTTPS_PORTS</c>, else Kestrel's default) when Kestrel started without <c>Kestrel:Endpoints</c>.
/// An edit's endpoints are checked against these (<see cref="ListenerCollisions.FindInEdit"/>), so that one of them on
/// port 0 (any free port) is known by the port it holds. Both are recorded as Kestrel has bound, before any edit is
/// copied to its section (<see cref="KestrelStartBetweenEdits"/>), not as the gateway read its configuration: an edit
/// taken before then (<see cref="AcceptedKestrelSection"/>) decides what Kestrel binds.
/// </summary>
internal sealed class BoundStartupUrls(IConfiguration configuration, AcceptedKestrelSection kestrel)
{
    private IConfiguration? _listenersAtStart;

    /// <summary>The server's addresses, once Kestrel has started; null before.</summary>
    private IServerAddressesFeature? _server;

    /// <summary>
    /// The settings of the clients' listeners no edit unbinds (<see cref="ListenerCollisions.StartupListenersEditsKeep"/>):
    /// as Kestrel started, once it has; until then, as Kestrel would start now.
    /// </summary>
    public IConfiguration? Listeners => Volatile.Read(ref _server) is null ? ListenersNow() : _listenersAtStart;

    /// <summary>
    /// The server's addresses (a port of 0 replaced by the one taken) as Kestrel started: read then, since the endpoints an
    /// edit adds later are listed there too, and Kestrel binds <c>Urls</c> at start-up only. Empty before Kestrel has
    /// started.
    /// </summary>
    public IReadOnlyList<string> Bound { get; private set; } = [];

    /// <summary>
    /// The server's addresses now: <see cref="Bound"/> and the endpoints in force, each as bound (Kestrel removes an
    /// endpoint's when it stops it). Empty before Kestrel has started (the server lists the addresses it is to bind until
    /// then, as configured).
    /// </summary>
    public IReadOnlyList<string> Now => Volatile.Read(ref _server) is { } server ? [.. server.Addresses] : [];

    /// <summary>Records the listeners Kestrel has just started with, before any edit is copied to its section.</summary>
    /// <param name="server">The server's addresses.</param>
    public void Started(IServerAddressesFeature server)
    {
        _listenersAtStart = ListenersNow();
        Bound = [.. server.Addresses];
        Volatile.Write(ref _server, server);
    }

    private IConfiguration? ListenersNow() => ListenerCollisions.StartupListenersEditsKeep(configuration, kestrel.Section);
}
