namespace FcGateway.Configuration;

/// <summary>
/// The runtime API listener, from <c>Gateway:RuntimeApi</c>: where functions that pull their invocations poll. Read
/// once at start-up; it is a listener of its own, never the clients'.
/// </summary>
public sealed record RuntimeApiSettings
{
    /// <summary>The listener when nothing is configured.</summary>
    public const string DefaultUrls = "http://127.0.0.1:9500";

    /// <summary>Addresses to listen on, separated by <c>;</c>, as ASP.NET Core's <c>Urls</c>.</summary>
    public string Urls { get; init; } = DefaultUrls;

    /// <summary>True when <see cref="Urls"/> was set explicitly: the listener then starts even with no pull function.</summary>
    public bool Configured { get; init; }
}
