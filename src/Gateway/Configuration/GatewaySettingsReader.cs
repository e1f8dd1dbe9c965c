using System.Net;
using FcGateway.Configuration.Triggers;

namespace FcGateway.Configuration;

/// <summary>
/// Reads the <c>Gateway</c> section into a <see cref="GatewaySettings"/>. Every value is checked and every
/// problem collected, rather than stopping at the first, so one start-up or reload reports them all. Functions and
/// triggers have readers of their own; values are read through <see cref="SettingsErrors"/>.
/// </summary>
internal sealed class GatewaySettingsReader
{
    public const string SectionName = "Gateway";

    private readonly List<string> _problems = [];
    private readonly SettingsErrors _errors;

    private GatewaySettingsReader()
    {
        _errors = new SettingsErrors(_problems);
    }

    /// <summary>Reads <paramref name="section"/>; <paramref name="errors"/> is empty when the settings are valid.</summary>
    public static GatewaySettings Read(IConfigurationSection section, out IReadOnlyList<string> errors)
    {
        var reader = new GatewaySettingsReader();
        var settings = reader.ReadGateway(section);
        errors = reader._problems;
        return settings;
    }

    private GatewaySettings ReadGateway(IConfigurationSection section)
    {
        _errors.CheckKeys(section, GatewaySettingsKeys.Gateway);
        _errors.CheckKeys(section.GetSection("ForwardedHeaders"), GatewaySettingsKeys.ForwardedHeaders);
        var settings = new GatewaySettings
        {
            AccountId = _errors.ReadSingleLine(section, nameof(GatewaySettings.AccountId)),
            Region = _errors.ReadSingleLine(section, nameof(GatewaySettings.Region)),
            Limits = ReadLimits(section.GetSection(nameof(GatewaySettings.Limits))),
            TrustedProxies = ReadTrustedProxies(section.GetSection("ForwardedHeaders:TrustedProxies")),
            ContentDispositionAttachment = _errors.ReadBool(section, nameof(GatewaySettings.ContentDispositionAttachment), false),
            RejectClientFcHeaders = _errors.ReadBool(section, nameof(GatewaySettings.RejectClientFcHeaders), false),
            DrainTimeout = _errors.ReadPositiveTimeSpan(section, nameof(GatewaySettings.DrainTimeout), new GatewaySettings().DrainTimeout),
            Functions = FunctionSettingsReader.Read(section.GetSection(nameof(GatewaySettings.Functions)), _errors),
            Triggers = TriggerSettingsReader.Read(section.GetSection(nameof(GatewaySettings.Triggers)), _problems),
            InvokeApi = ReadInvokeApi(section.GetSection(nameof(GatewaySettings.InvokeApi))),
            AccessKeys = ReadSecretsById(section.GetSection(nameof(GatewaySettings.AccessKeys)), "AccessKey secret"),
            ReadinessDetail = ReadReadinessDetail(section.GetSection("Health")),
            RuntimeApi = ReadRuntimeApiListener(section.GetSection(nameof(GatewaySettings.RuntimeApi))),
        };
        CheckSigningKeys(section, settings);
        return settings;
    }

    /// <summary>A trigger whose callers sign needs the keys that make the signatures it takes.</summary>
    private void CheckSigningKeys(IConfigurationSection section, GatewaySettings settings)
    {
        foreach (var (routeId, trigger) in settings.Triggers)
        {
            var (authType, keys, needed) = trigger.AuthType switch
            {
                TriggerAuthType.Function when settings.AccessKeys.Count == 0 =>
                    ("function", "the AccessKey pairs", $"{nameof(GatewaySettings.AccessKeys)} (Gateway__AccessKeys__<AccessKey ID>=<secret>)"),
                TriggerAuthType.AwsIam when settings.InvokeApi.AwsAccessKeys.Count == 0 =>
                    ("aws_iam", "the AWS access keys", $"{nameof(GatewaySettings.InvokeApi)}:{nameof(InvokeApiSettings.AwsAccessKeys)} (Gateway__InvokeApi__AwsAccessKeys__<access key id>=<secret>)"),
                _ => (null, null, null),
            };
            if (keys is not null)
            {
                _errors.Add($"{section.Path}:{nameof(GatewaySettings.Triggers)}:{routeId}:{nameof(TriggerSettings.AuthType)}: {authType} needs {keys} whose signatures it takes: add one under {section.Path}:{needed}.");
            }
        }
    }

    private RuntimeApiSettings ReadRuntimeApiListener(IConfigurationSection section)
    {
        _errors.CheckKeys(section, GatewaySettingsKeys.RuntimeApi);
        var urls = section[nameof(RuntimeApiSettings.Urls)];
        if (string.IsNullOrWhiteSpace(urls))
        {
            return new RuntimeApiSettings();
        }

        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/")
            {
                _errors.Add($"{section.Path}:{nameof(RuntimeApiSettings.Urls)}: '{url}' is not an address to listen on (use http://host:port).");
            }
            else if (!ListenAddress.IsListenedOnAsWritten(uri.Host))
            {
                _errors.Add($"{section.Path}:{nameof(RuntimeApiSettings.Urls)}: '{url}': '{uri.Host}' is neither an IP address nor localhost, for which the runtime API would listen on every interface (and any host that reaches it could pull invocations); write http://0.0.0.0:{uri.Port} to mean that, or the IP address to listen on.");
            }
        }

        return new RuntimeApiSettings { Urls = urls, Configured = true };
    }

    private ReadinessDetail ReadReadinessDetail(IConfigurationSection section)
    {
        _errors.CheckKeys(section, GatewaySettingsKeys.Health);
        var text = section[nameof(GatewaySettings.ReadinessDetail)];
        if (string.IsNullOrWhiteSpace(text))
        {
            return ReadinessDetail.Loopback;
        }

        if (Enum.TryParse<ReadinessDetail>(text, ignoreCase: true, out var detail) && Enum.IsDefined(detail))
        {
            return detail;
        }

        _errors.Add($"{section.Path}:{nameof(GatewaySettings.ReadinessDetail)}: '{text}' is not one of Loopback, Everyone, Nobody.");
        return ReadinessDetail.Loopback;
    }

    private InvokeApiSettings ReadInvokeApi(IConfigurationSection section)
    {
        _errors.CheckKeys(section, GatewaySettingsKeys.InvokeApi);
        return new()
        {
            Enabled = _errors.ReadBool(section, nameof(InvokeApiSettings.Enabled), InvokeApiSettings.Default.Enabled),
            BearerTokens = ReadTokens(section.GetSection(nameof(InvokeApiSettings.BearerTokens))),
            AwsAccessKeys = ReadSecretsById(section.GetSection(nameof(InvokeApiSettings.AwsAccessKeys)), "secret access key"),
            MaxPendingAsyncInvocations = (int)_errors.ReadPositive(
                section, nameof(InvokeApiSettings.MaxPendingAsyncInvocations), InvokeApiSettings.Default.MaxPendingAsyncInvocations, 1_000_000),
            // Empty (an environment variable set to nothing, a JSON null) is unset, as for every other key: the platforms' defaults.
            AsyncRetryAttempts = string.IsNullOrWhiteSpace(section[nameof(InvokeApiSettings.AsyncRetryAttempts)])
                ? null
                : (int)_errors.ReadNonNegative(section, nameof(InvokeApiSettings.AsyncRetryAttempts), 0, 8),
        };
    }

    private List<string> ReadTokens(IConfigurationSection section)
    {
        var tokens = new List<string>();
        foreach (var entry in section.GetChildren())
        {
            if (string.IsNullOrWhiteSpace(entry.Value))
            {
                _errors.Add($"{entry.Path}: a bearer token cannot be empty (generate one with: openssl rand -hex 32).");
                continue;
            }

            tokens.Add(entry.Value.Trim());
        }

        return tokens;
    }

    /// <summary>Access key ids and their secrets (<c>{id}: {secret}</c>); <paramref name="secretName"/> names a secret in a problem.</summary>
    private Dictionary<string, string> ReadSecretsById(IConfigurationSection section, string secretName)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in section.GetChildren())
        {
            if (string.IsNullOrWhiteSpace(entry.Value))
            {
                _errors.Add($"{entry.Path}: the {secretName} of {entry.Key} cannot be empty.");
                continue;
            }

            keys[entry.Key] = entry.Value;
        }

        return keys;
    }

    private GatewayLimits ReadLimits(IConfigurationSection section)
    {
        _errors.CheckKeys(section, GatewaySettingsKeys.Limits);
        var defaults = new GatewayLimits();
        return new GatewayLimits
        {
            MaxRequestHeaderBytes = (int)_errors.ReadPositive(section, nameof(GatewayLimits.MaxRequestHeaderBytes), defaults.MaxRequestHeaderBytes, int.MaxValue),
            MaxPathAndQueryBytes = (int)_errors.ReadPositive(section, nameof(GatewayLimits.MaxPathAndQueryBytes), defaults.MaxPathAndQueryBytes, int.MaxValue),
            MaxRequestBodyBytes = _errors.ReadPositive(section, nameof(GatewayLimits.MaxRequestBodyBytes), defaults.MaxRequestBodyBytes, Array.MaxLength),
            MaxAsyncRequestBodyBytes = _errors.ReadPositive(section, nameof(GatewayLimits.MaxAsyncRequestBodyBytes), defaults.MaxAsyncRequestBodyBytes, Array.MaxLength),
            MaxResponseHeaderBytes = (int)_errors.ReadPositive(section, nameof(GatewayLimits.MaxResponseHeaderBytes), defaults.MaxResponseHeaderBytes, int.MaxValue),
            MaxResponseBodyBytes = _errors.ReadPositive(section, nameof(GatewayLimits.MaxResponseBodyBytes), defaults.MaxResponseBodyBytes, Array.MaxLength),
        };
    }

    private TrustedProxies ReadTrustedProxies(IConfigurationSection section)
    {
        var networks = new List<IPNetwork>();
        foreach (var entry in section.GetChildren())
        {
            if (string.IsNullOrWhiteSpace(entry.Value))
            {
                continue;
            }

            if (TrustedProxies.TryParseEntry(entry.Value, out var network))
            {
                networks.Add(network);
            }
            else
            {
                _errors.Add($"{entry.Path}: '{entry.Value}' is neither an IP address nor a CIDR range (examples: 10.0.0.1, 10.0.0.0/8, fd00::/8).");
            }
        }

        return networks.Count == 0 ? TrustedProxies.None : new TrustedProxies(networks);
    }

}
