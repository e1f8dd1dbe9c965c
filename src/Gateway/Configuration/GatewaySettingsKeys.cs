namespace FcGateway.Configuration;

/// <summary>The keys each level of the <c>Gateway</c> section accepts; any other key is reported as a typo.</summary>
internal static class GatewaySettingsKeys
{
    /// <summary>The keys of <c>Gateway</c> itself.</summary>
    public static readonly string[] Gateway =
    [
        nameof(GatewaySettings.AccountId), nameof(GatewaySettings.Region), nameof(GatewaySettings.Limits), "ForwardedHeaders",
        nameof(GatewaySettings.ContentDispositionAttachment), nameof(GatewaySettings.RejectClientFcHeaders), nameof(GatewaySettings.DrainTimeout),
        nameof(GatewaySettings.Functions), nameof(GatewaySettings.Triggers), nameof(GatewaySettings.InvokeApi), "Health",
        nameof(GatewaySettings.RuntimeApi),
    ];

    /// <summary>The keys of <c>Gateway:Limits</c>.</summary>
    public static readonly string[] Limits =
    [
        nameof(GatewayLimits.MaxRequestHeaderBytes), nameof(GatewayLimits.MaxPathAndQueryBytes), nameof(GatewayLimits.MaxRequestBodyBytes),
        nameof(GatewayLimits.MaxAsyncRequestBodyBytes),
        nameof(GatewayLimits.MaxResponseHeaderBytes), nameof(GatewayLimits.MaxResponseBodyBytes),
    ];

    /// <summary>The keys of <c>Gateway:ForwardedHeaders</c>.</summary>
    public static readonly string[] ForwardedHeaders = [nameof(GatewaySettings.TrustedProxies)];

    /// <summary>The keys of <c>Gateway:InvokeApi</c>.</summary>
    public static readonly string[] InvokeApi =
    [
        nameof(InvokeApiSettings.Enabled), nameof(InvokeApiSettings.BearerTokens), nameof(InvokeApiSettings.MaxPendingAsyncInvocations),
        nameof(InvokeApiSettings.AsyncRetryAttempts),
    ];

    /// <summary>The keys of <c>Gateway:RuntimeApi</c>.</summary>
    public static readonly string[] RuntimeApi = [nameof(RuntimeApiSettings.Urls)];

    /// <summary>The keys of <c>Gateway:Health</c>.</summary>
    public static readonly string[] Health = [nameof(GatewaySettings.ReadinessDetail)];

    /// <summary>The keys of <c>Gateway:Functions:{name}</c> that only mean something with <c>Command</c> (declared before <see cref="Function"/>, which includes them).</summary>
    public static readonly string[] LaunchOnly =
    [
        nameof(FunctionLaunchSettings.Arguments), nameof(FunctionLaunchSettings.WorkingDirectory), nameof(FunctionLaunchSettings.Environment),
        nameof(FunctionLaunchSettings.MinInstances), nameof(FunctionLaunchSettings.MaxInstances), nameof(FunctionLaunchSettings.IdleTimeout),
        nameof(FunctionLaunchSettings.PreStop), nameof(FunctionLaunchSettings.StopTimeout),
    ];

    /// <summary>The keys of <c>Gateway:Functions:{name}</c>.</summary>
    public static readonly string[] Function =
    [
        nameof(FunctionSettings.Timeout), nameof(FunctionSettings.MemorySize), nameof(FunctionSettings.Qualifier), nameof(FunctionSettings.VersionId),
        nameof(FunctionSettings.Handler), nameof(FunctionSettings.Initializer), nameof(FunctionSettings.InitializerHandler),
        nameof(FunctionSettings.InitializationTimeout), nameof(FunctionSettings.InstanceConcurrency), nameof(FunctionSettings.MaxQueueLength),
        nameof(FunctionSettings.QueueTimeout), nameof(FunctionSettings.Credentials), nameof(FunctionSettings.RuntimeApi), nameof(FunctionSettings.RuntimeApiUrl),
        nameof(FunctionLaunchSettings.Command), .. LaunchOnly,
    ];

    /// <summary>The keys of <c>Gateway:Functions:{name}:Credentials</c>.</summary>
    public static readonly string[] Credentials =
        [nameof(FunctionCredentials.AccessKeyId), nameof(FunctionCredentials.AccessKeySecret), nameof(FunctionCredentials.SecurityToken)];
}
