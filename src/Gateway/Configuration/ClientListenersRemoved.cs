namespace FcGateway.Configuration;

/// <summary>
/// An edit that would leave the clients nothing to connect to: one without <c>Kestrel:Endpoints</c>, when the clients'
/// listeners are endpoints alone, as Kestrel started on them (<see cref="BoundListeners.StartupUrls"/> null). Kestrel
/// would stop them all and bind nothing in their place, since it binds <c>Urls</c> at start-up only. Refused before
/// Kestrel has started too, while the section in force has endpoints: Kestrel may start on them between the edit's
/// judgement and its taking.
/// </summary>
internal static class ClientListenersRemoved
{
    /// <summary>The problem of <paramref name="edit"/>, if it removes every listener of the clients.</summary>
    /// <param name="edit">The edited configuration.</param>
    /// <param name="bound">The gateway's listeners as the edit is judged.</param>
    public static IEnumerable<string> Find(IConfiguration edit, BoundListeners bound) =>
        bound.StartupUrls is null && !KestrelKeys.HasEndpoints(edit)
            ? [$"{KestrelKeys.EndpointsSectionName}: the edit removes every endpoint, and the clients' listeners are those alone: "
                + "Kestrel would stop them all and listen nowhere, as it binds Urls at start-up only. Keep one, or restart the "
                + "gateway with this edit to listen on Urls."]
            : [];
}
