namespace FcGateway.Configuration;

/// <summary>
/// The gateway's listeners as an edit is judged: what its <c>Kestrel:Endpoints</c>, which Kestrel binds when it is taken,
/// bind beside (<see cref="ListenerCollisions.FindInEdit"/>), or leave the clients without
/// (<see cref="ClientListenersRemoved"/>). Read once per edit (<see cref="GatewayListeners.Now"/>).
/// </summary>
/// <param name="StartupUrls">
/// <see cref="ListenerCollisions.StartupListenersEditsKeep"/> as Kestrel started (<see cref="BoundStartupUrls.Listeners"/>):
/// null when it started with endpoints (before it starts, when the section in force has some).
/// </param>
/// <param name="StartupUrlsBound">
/// The clients' listeners as bound at start-up (<see cref="BoundStartupUrls.Bound"/>): those of
/// <paramref name="StartupUrls"/>, empty until Kestrel has started.
/// </param>
/// <param name="Startup">The gateway settings it started with: the runtime API's listeners, until they are bound.</param>
/// <param name="RuntimeApiBound">The runtime API's listeners as bound (<see cref="IBoundRuntimeApiListeners.Bound"/>).</param>
/// <param name="KestrelInForce">The <c>Kestrel</c> section in force, its endpoints and their defaults (<see cref="AcceptedKestrelSection"/>).</param>
/// <param name="ClientsBound">
/// The clients' listeners as bound now (<see cref="BoundStartupUrls.Now"/>): those of <paramref name="StartupUrlsBound"/>
/// and the endpoints in force.
/// </param>
/// <param name="DevelopmentCertificate">The developer certificate file Kestrel looks for when it has no default certificate.</param>
internal sealed record BoundListeners(
    IConfiguration? StartupUrls,
    IReadOnlyList<string> StartupUrlsBound,
    GatewaySettings Startup,
    IReadOnlyList<(string Key, string Url)> RuntimeApiBound,
    IConfigurationSection KestrelInForce,
    IReadOnlyList<string> ClientsBound,
    KestrelDevelopmentCertificate DevelopmentCertificate);
