namespace FcGateway.Configuration;

/// <summary>
/// The runtime API's listeners as bound at start-up, each with the port it took: an edit's Kestrel endpoints are checked
/// against these (<see cref="ListenerCollisions.FindInEdit"/>), so that one of them listening on port 0 (any free port)
/// is known by the port it holds.
/// </summary>
internal interface IBoundRuntimeApiListeners
{
    /// <summary>
    /// Each listener bound, by the key that configures it (<c>Gateway:RuntimeApi:Urls</c>, a function's
    /// <c>RuntimeApiUrl</c>) and its address as bound; empty before the runtime API has started, or when it does not run.
    /// </summary>
    IReadOnlyList<(string Key, string Url)> Bound { get; }
}
