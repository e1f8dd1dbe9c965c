using FcGateway.Configuration.Triggers;

namespace FcGateway.Configuration;

/// <summary>
/// The keys each level of the <c>Gateway</c> section accepts and what each holds; any other key is reported as a typo,
/// and a key holding another kind of setting (a value where a list is expected) as a mistake.
/// </summary>
internal static class GatewaySettingsKeys
{
    /// <summary>The keys of <c>Gateway</c> itself.</summary>
    public static readonly SettingKeys Gateway = new(
        [
            nameof(GatewaySettings.AccountId), nameof(GatewaySettings.Region), nameof(GatewaySettings.ContentDispositionAttachment),
            nameof(GatewaySettings.RejectClientFcHeaders), nameof(GatewaySettings.DrainTimeout),
        ],
        (nameof(GatewaySettings.Limits), SettingKind.Section),
        ("ForwardedHeaders", SettingKind.Section),
        (nameof(GatewaySettings.Functions), SettingKind.SectionsByName),
        (nameof(GatewaySettings.Triggers), SettingKind.SectionsByName),
        (nameof(GatewaySettings.InvokeApi), SettingKind.Section),
        (nameof(GatewaySettings.AccessKeys), SettingKind.ValuesByName),
        ("Health", SettingKind.Section),
        (nameof(GatewaySettings.RuntimeApi), SettingKind.Section));

    /// <summary>The keys of <c>Gateway:Limits</c>.</summary>
    public static readonly SettingKeys Limits = new(
    [
        nameof(GatewayLimits.MaxRequestHeaderBytes), nameof(GatewayLimits.MaxPathAndQueryBytes), nameof(GatewayLimits.MaxRequestBodyBytes),
        nameof(GatewayLimits.MaxAsyncRequestBodyBytes),
        nameof(GatewayLimits.MaxResponseHeaderBytes), nameof(GatewayLimits.MaxResponseBodyBytes),
    ]);

    /// <summary>The keys of <c>Gateway:ForwardedHeaders</c>.</summary>
    public static readonly SettingKeys ForwardedHeaders = new([], (nameof(GatewaySettings.TrustedProxies), SettingKind.List));

    /// <summary>The keys of <c>Gateway:InvokeApi</c>.</summary>
    public static readonly SettingKeys InvokeApi = new(
        [nameof(InvokeApiSettings.Enabled), nameof(InvokeApiSettings.MaxPendingAsyncInvocations), nameof(InvokeApiSettings.AsyncRetryAttempts)],
        (nameof(InvokeApiSettings.BearerTokens), SettingKind.List),
        (nameof(InvokeApiSettings.AwsAccessKeys), SettingKind.ValuesByName));

    /// <summary>The keys of <c>Gateway:RuntimeApi</c>.</summary>
    public static readonly SettingKeys RuntimeApi = new([nameof(RuntimeApiSettings.Urls)]);

    /// <summary>The keys of <c>Gateway:Health</c>.</summary>
    public static readonly SettingKeys Health = new([nameof(GatewaySettings.ReadinessDetail)]);

    /// <summary>The keys of <c>Gateway:Functions:{name}</c> that only mean something with <c>Command</c> and hold a value (declared first: the lists below include them).</summary>
    private static readonly string[] LaunchOnlyValues =
    [
        nameof(FunctionLaunchSettings.WorkingDirectory), nameof(FunctionLaunchSettings.MinInstances), nameof(FunctionLaunchSettings.MaxInstances),
        nameof(FunctionLaunchSettings.IdleTimeout), nameof(FunctionLaunchSettings.StopTimeout),
    ];

    /// <summary>The keys of <c>Gateway:Functions:{name}</c> that only mean something with <c>Command</c>.</summary>
    public static readonly string[] LaunchOnly =
        [nameof(FunctionLaunchSettings.Arguments), nameof(FunctionLaunchSettings.Environment), .. LaunchOnlyValues];

    /// <summary>The keys of <c>Gateway:Functions:{name}</c>.</summary>
    public static readonly SettingKeys Function = new(
        [
            nameof(FunctionSettings.Timeout), nameof(FunctionSettings.MemorySize), nameof(FunctionSettings.Qualifier), nameof(FunctionSettings.VersionId),
            nameof(FunctionSettings.Handler), nameof(FunctionSettings.Initializer), nameof(FunctionSettings.InitializerHandler),
            nameof(FunctionSettings.InitializationTimeout), nameof(FunctionSettings.PreStop), nameof(FunctionSettings.InstanceConcurrency),
            nameof(FunctionSettings.MaxQueueLength), nameof(FunctionSettings.QueueTimeout), nameof(FunctionSettings.RuntimeApi),
            nameof(FunctionSettings.RuntimeApiUrl), nameof(FunctionSettings.PayloadFormatVersion),
            nameof(FunctionLaunchSettings.Command), .. LaunchOnlyValues,
        ],
        (nameof(FunctionSettings.Credentials), SettingKind.Section),
        (nameof(FunctionLaunchSettings.Arguments), SettingKind.List),
        (nameof(FunctionLaunchSettings.Environment), SettingKind.ValuesByName));

    /// <summary>The keys of <c>Gateway:Functions:{name}:Credentials</c>.</summary>
    public static readonly SettingKeys Credentials =
        new([nameof(FunctionCredentials.AccessKeyId), nameof(FunctionCredentials.AccessKeySecret), nameof(FunctionCredentials.SecurityToken)]);
}
