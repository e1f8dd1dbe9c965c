namespace FcGateway.Configuration;

/// <summary>Reads the gateway's listeners as they stand (<see cref="BoundListeners"/>), for each edit judged.</summary>
internal sealed class GatewayListeners(
    BoundStartupUrls clients, IBoundRuntimeApiListeners runtimeApi, AcceptedKestrelSection kestrel, GatewaySettingsMonitor settings, IHostEnvironment environment)
{
    /// <summary>The settings the gateway started with, whose runtime API listeners stay bound until a restart.</summary>
    private readonly GatewaySettings _startup = settings.Current;

    /// <summary>Named as Kestrel names it, after the application's name in the host's environment.</summary>
    private readonly KestrelDevelopmentCertificate _development = new(environment.ApplicationName);

    /// <summary>The listeners now.</summary>
    public BoundListeners Now() =>
        new(clients.Listeners, clients.Bound, _startup, runtimeApi.Bound, kestrel.Section, clients.Now, _development);
}
