namespace FcGateway.Configuration;

/// <summary>Reads the gateway's listeners as they stand (<see cref="BoundListeners"/>), for each edit judged.</summary>
internal sealed class GatewayListeners(
    BoundStartupUrls clients, IBoundRuntimeApiListeners runtimeApi, AcceptedKestrelSection kestrel, GatewaySettingsMonitor settings)
{
    /// <summary>The settings the gateway started with, whose runtime API listeners stay bound until a restart.</summary>
    private readonly GatewaySettings _startup = settings.Current;

    /// <summary>The listeners now.</summary>
    public BoundListeners Now() =>
        new(clients.Listeners, clients.Bound, _startup, runtimeApi.Bound, kestrel.Section, clients.Now);
}
