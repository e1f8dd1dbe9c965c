using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace FcGateway.Configuration;

/// <summary>
/// The server, Kestrel, started between two edits: none is copied to the section it reads
/// (<see cref="AcceptedKestrelSection.WithoutEditsAsync"/>) while it binds, and what it bound is recorded
/// (<see cref="BoundStartupUrls.Started"/>) before the next one is. An edit taken once Kestrel has bound, before the
/// gateway has started, is so judged by the listeners Kestrel started with; read once the gateway had started, they
/// were read from the section as that edit left it.
/// </summary>
internal sealed class KestrelStartBetweenEdits(IServer kestrel, AcceptedKestrelSection section, BoundStartupUrls clients) : IServer
{
    public IFeatureCollection Features => kestrel.Features;

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
        where TContext : notnull =>
        section.WithoutEditsAsync(async () =>
        {
            await kestrel.StartAsync(application, cancellationToken);
            clients.Started(kestrel.Features.GetRequiredFeature<IServerAddressesFeature>());
        });

    public Task StopAsync(CancellationToken cancellationToken) => kestrel.StopAsync(cancellationToken);

    /// <summary>
    /// Leaves Kestrel to its own registration, kept under a key: the container disposes it when it made it (by type or
    /// factory), and one registered as an instance stays its owner's to dispose, as it would unwrapped.
    /// </summary>
    public void Dispose()
    {
    }
}
