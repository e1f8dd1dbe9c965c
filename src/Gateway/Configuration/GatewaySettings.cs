using FcGateway.Configuration.Triggers;

namespace FcGateway.Configuration;

/// <summary>
/// An immutable, validated snapshot of the <c>Gateway</c> configuration section. A reload builds a new
/// snapshot; an invalid reload leaves the previous one in force.
/// </summary>
public sealed record GatewaySettings
{
    /// <summary>The account id sent to workers (<c>x-fc-account-id</c>) and written to <c>requestContext.accountId</c>.</summary>
    public string AccountId { get; init; } = "";

    /// <summary>The region sent to workers as <c>x-fc-region</c>.</summary>
    public string Region { get; init; } = "";

    /// <summary>Request and response size limits (wire contract §8).</summary>
    public GatewayLimits Limits { get; init; } = new();

    /// <summary>
    /// Proxies whose <c>X-Forwarded-For</c> and <c>X-Real-IP</c> headers are believed. Empty means every
    /// peer's headers are kept; otherwise headers from peers outside the list are discarded before the peer
    /// is appended, so a client cannot forge its address.
    /// </summary>
    public TrustedProxies TrustedProxies { get; init; } = TrustedProxies.None;

    /// <summary>Adds <c>Content-Disposition: attachment</c> to every response, as FC does on its default domains.</summary>
    public bool ContentDispositionAttachment { get; init; }

    /// <summary>Refuses requests carrying client <c>x-fc-*</c> headers with 400 InvalidArgument instead of removing them.</summary>
    public bool RejectClientFcHeaders { get; init; }

    /// <summary>
    /// On SIGTERM the gateway stops accepting connections and lets in-flight invocations finish for up to
    /// this long before it exits. Read at start-up. Default 30 seconds.
    /// </summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Who sees the per-function instance counts of <c>/readyz</c> (they name every function): by default loopback
    /// callers and holders of an invocation-API bearer token; everyone else sees the status alone.
    /// </summary>
    public ReadinessDetail ReadinessDetail { get; init; } = ReadinessDetail.Loopback;

    /// <summary>
    /// Alibaba Cloud AccessKey pairs, AccessKey ID to AccessKey secret (<c>AccessKeys:{id}</c>), whose
    /// <c>ACS3-HMAC-SHA256</c> signatures the gateway takes: on triggers of <c>AuthType: function</c>, and on FC's
    /// invocation API, as FC's SDKs sign InvokeFunction. Empty: no FC signature is taken.
    /// </summary>
    public IReadOnlyDictionary<string, string> AccessKeys { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The direct invocation API: on by default, loopback callers only until bearer tokens are configured.</summary>
    public InvokeApiSettings InvokeApi { get; init; } = InvokeApiSettings.Default;

    /// <summary>The runtime API listener (<c>Gateway:RuntimeApi</c>); only its start-up value is used.</summary>
    public RuntimeApiSettings RuntimeApi { get; init; } = new();

    /// <summary>Per-function settings by function name; a function without an entry uses <see cref="FunctionSettings.Default"/>.</summary>
    public IReadOnlyDictionary<string, FunctionSettings> Functions { get; init; } = new Dictionary<string, FunctionSettings>();

    /// <summary>Per-trigger settings by route id; a route without an entry uses <see cref="TriggerSettings.Default"/>.</summary>
    public IReadOnlyDictionary<string, TriggerSettings> Triggers { get; init; } = new Dictionary<string, TriggerSettings>();

    /// <summary>Whether these settings, read at start-up, start the runtime API's listener: it is named, or a function pulls.</summary>
    public bool StartsRuntimeApi => RuntimeApi.Configured || Functions.Values.Any(function => function.RuntimeApi is not null);

    /// <summary>The settings of <paramref name="functionName"/>, or the defaults.</summary>
    public FunctionSettings GetFunction(string functionName) =>
        Functions.TryGetValue(functionName, out var settings) ? settings : FunctionSettings.Default;

    /// <summary>The settings of the trigger (route) <paramref name="routeId"/>, or the defaults.</summary>
    public TriggerSettings GetTrigger(string routeId) =>
        Triggers.TryGetValue(routeId, out var settings) ? settings : TriggerSettings.Default;
}
