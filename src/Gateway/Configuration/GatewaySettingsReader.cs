using System.Globalization;
using System.Net;
using FcGateway.Configuration.Triggers;

namespace FcGateway.Configuration;

/// <summary>
/// Reads the <c>Gateway</c> section into a <see cref="GatewaySettings"/>. Every value is checked and every
/// problem collected, rather than stopping at the first, so one start-up or reload reports them all.
/// </summary>
internal sealed class GatewaySettingsReader
{
    public const string SectionName = "Gateway";

    private static readonly TimeSpan LongestTimer = TimeSpan.FromMilliseconds(int.MaxValue);

    private readonly List<string> _errors = [];
    private readonly SettingsErrors _keys;

    private GatewaySettingsReader()
    {
        _keys = new SettingsErrors(_errors);
    }

    /// <summary>Reads <paramref name="section"/>; <paramref name="errors"/> is empty when the settings are valid.</summary>
    public static GatewaySettings Read(IConfigurationSection section, out IReadOnlyList<string> errors)
    {
        var reader = new GatewaySettingsReader();
        var settings = reader.ReadGateway(section);
        errors = reader._errors;
        return settings;
    }

    private GatewaySettings ReadGateway(IConfigurationSection section)
    {
        _keys.CheckKeys(section, GatewaySettingsKeys.Gateway);
        _keys.CheckKeys(section.GetSection("ForwardedHeaders"), GatewaySettingsKeys.ForwardedHeaders);
        return new()
        {
            AccountId = ReadSingleLine(section, nameof(GatewaySettings.AccountId)),
            Region = ReadSingleLine(section, nameof(GatewaySettings.Region)),
            Limits = ReadLimits(section.GetSection(nameof(GatewaySettings.Limits))),
            TrustedProxies = ReadTrustedProxies(section.GetSection("ForwardedHeaders:TrustedProxies")),
            ContentDispositionAttachment = ReadBool(section, nameof(GatewaySettings.ContentDispositionAttachment), false),
            RejectClientFcHeaders = ReadBool(section, nameof(GatewaySettings.RejectClientFcHeaders), false),
            DrainTimeout = ReadPositiveTimeSpan(section, nameof(GatewaySettings.DrainTimeout), new GatewaySettings().DrainTimeout),
            Functions = ReadFunctions(section.GetSection(nameof(GatewaySettings.Functions))),
            Triggers = TriggerSettingsReader.Read(section.GetSection(nameof(GatewaySettings.Triggers)), _errors),
            InvokeApi = ReadInvokeApi(section.GetSection(nameof(GatewaySettings.InvokeApi))),
            ReadinessDetail = ReadReadinessDetail(section.GetSection("Health")),
            RuntimeApi = ReadRuntimeApiListener(section.GetSection(nameof(GatewaySettings.RuntimeApi))),
        };
    }

    private RuntimeApiSettings ReadRuntimeApiListener(IConfigurationSection section)
    {
        _keys.CheckKeys(section, GatewaySettingsKeys.RuntimeApi);
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
        }

        return new RuntimeApiSettings { Urls = urls, Configured = true };
    }

    private ReadinessDetail ReadReadinessDetail(IConfigurationSection section)
    {
        _keys.CheckKeys(section, GatewaySettingsKeys.Health);
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
        _keys.CheckKeys(section, GatewaySettingsKeys.InvokeApi);
        return new()
        {
            Enabled = ReadBool(section, nameof(InvokeApiSettings.Enabled), InvokeApiSettings.Default.Enabled),
            BearerTokens = ReadTokens(section.GetSection(nameof(InvokeApiSettings.BearerTokens))),
            MaxPendingAsyncInvocations = (int)ReadPositive(
                section, nameof(InvokeApiSettings.MaxPendingAsyncInvocations), InvokeApiSettings.Default.MaxPendingAsyncInvocations, 1_000_000),
            AsyncRetryAttempts = (int)ReadNonNegative(section, nameof(InvokeApiSettings.AsyncRetryAttempts), InvokeApiSettings.Default.AsyncRetryAttempts, 8),
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

    private GatewayLimits ReadLimits(IConfigurationSection section)
    {
        _keys.CheckKeys(section, GatewaySettingsKeys.Limits);
        var defaults = new GatewayLimits();
        return new GatewayLimits
        {
            MaxRequestHeaderBytes = (int)ReadPositive(section, nameof(GatewayLimits.MaxRequestHeaderBytes), defaults.MaxRequestHeaderBytes, int.MaxValue),
            MaxPathAndQueryBytes = (int)ReadPositive(section, nameof(GatewayLimits.MaxPathAndQueryBytes), defaults.MaxPathAndQueryBytes, int.MaxValue),
            MaxRequestBodyBytes = ReadPositive(section, nameof(GatewayLimits.MaxRequestBodyBytes), defaults.MaxRequestBodyBytes, Array.MaxLength),
            MaxAsyncRequestBodyBytes = ReadPositive(section, nameof(GatewayLimits.MaxAsyncRequestBodyBytes), defaults.MaxAsyncRequestBodyBytes, Array.MaxLength),
            MaxResponseHeaderBytes = (int)ReadPositive(section, nameof(GatewayLimits.MaxResponseHeaderBytes), defaults.MaxResponseHeaderBytes, int.MaxValue),
            MaxResponseBodyBytes = ReadPositive(section, nameof(GatewayLimits.MaxResponseBodyBytes), defaults.MaxResponseBodyBytes, Array.MaxLength),
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

    private Dictionary<string, FunctionSettings> ReadFunctions(IConfigurationSection section)
    {
        var functions = new Dictionary<string, FunctionSettings>(StringComparer.Ordinal);
        var ports = new Dictionary<IPEndPoint, string>();
        foreach (var function in section.GetChildren())
        {
            var read = functions[function.Key] = ReadFunction(function);
            if (read.RuntimeApiUrl is { Port: not 0 } own && !ports.TryAdd(own, function.Key))
            {
                _errors.Add($"{function.Path}:{nameof(FunctionSettings.RuntimeApiUrl)}: {own} is function '{ports[own]}'s runtime API address already; give each function its own port.");
            }
        }

        return functions;
    }

    private FunctionSettings ReadFunction(IConfigurationSection section)
    {
        _keys.CheckKeys(section, GatewaySettingsKeys.Function);
        var defaults = FunctionSettings.Default;
        var credentials = section.GetSection(nameof(FunctionSettings.Credentials));
        _keys.CheckKeys(credentials, GatewaySettingsKeys.Credentials);
        var runtimeApi = ReadRuntimeApi(section);
        return new FunctionSettings
        {
            Timeout = ReadPositiveTimeSpan(section, nameof(FunctionSettings.Timeout), defaults.Timeout),
            MemorySize = (int)ReadPositive(section, nameof(FunctionSettings.MemorySize), defaults.MemorySize, int.MaxValue),
            Qualifier = ReadNonEmpty(section, nameof(FunctionSettings.Qualifier), defaults.Qualifier),
            VersionId = ReadNonEmpty(section, nameof(FunctionSettings.VersionId), defaults.VersionId),
            Handler = ReadNonEmpty(section, nameof(FunctionSettings.Handler), defaults.Handler),
            Initializer = ReadBool(section, nameof(FunctionSettings.Initializer), defaults.Initializer),
            InitializerHandler = ReadNonEmpty(section, nameof(FunctionSettings.InitializerHandler), defaults.InitializerHandler),
            InitializationTimeout = ReadPositiveTimeSpan(section, nameof(FunctionSettings.InitializationTimeout), defaults.InitializationTimeout),
            InstanceConcurrency = (int)ReadPositive(section, nameof(FunctionSettings.InstanceConcurrency), defaults.InstanceConcurrency, int.MaxValue),
            MaxQueueLength = (int)ReadNonNegative(section, nameof(FunctionSettings.MaxQueueLength), defaults.MaxQueueLength, int.MaxValue),
            QueueTimeout = ReadPositiveTimeSpan(section, nameof(FunctionSettings.QueueTimeout), defaults.QueueTimeout),
            Credentials = new FunctionCredentials
            {
                AccessKeyId = NullIfEmpty(credentials[nameof(FunctionCredentials.AccessKeyId)]),
                AccessKeySecret = NullIfEmpty(credentials[nameof(FunctionCredentials.AccessKeySecret)]),
                SecurityToken = NullIfEmpty(credentials[nameof(FunctionCredentials.SecurityToken)]),
            },
            RuntimeApi = runtimeApi,
            RuntimeApiUrl = ReadRuntimeApiUrl(section, runtimeApi),
            Launch = ReadLaunch(section, runtimeApi),
        };
    }

    private RuntimeApiProtocol? ReadRuntimeApi(IConfigurationSection section)
    {
        var text = section[nameof(FunctionSettings.RuntimeApi)];
        switch (text?.Trim().ToUpperInvariant())
        {
            case null or "":
                return null;
            case "FC":
                return RuntimeApiProtocol.Fc;
            case "LAMBDA":
                RefuseFcLifecycle(section);
                return RuntimeApiProtocol.Lambda;
            default:
                _errors.Add($"{section.Path}:{nameof(FunctionSettings.RuntimeApi)}: '{text}' is not one of fc, lambda (omit it to push invocations to workers).");
                return null;
        }
    }

    private IPEndPoint? ReadRuntimeApiUrl(IConfigurationSection section, RuntimeApiProtocol? runtimeApi)
    {
        var text = section[nameof(FunctionSettings.RuntimeApiUrl)];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var key = $"{section.Path}:{nameof(FunctionSettings.RuntimeApiUrl)}";
        if (!ListenAddress.TryParse(text, out var endpoint))
        {
            _errors.Add($"{key}: '{text}' is not an address to listen on (use http://<IP address>:<port>, e.g. http://127.0.0.1:9511).");
            return null;
        }

        if (runtimeApi is null && string.IsNullOrWhiteSpace(section[nameof(FunctionSettings.RuntimeApi)]))
        {
            _errors.Add($"{key}: only a function whose workers pull their invocations has a runtime API address: set {section.Path}:{nameof(FunctionSettings.RuntimeApi)} to fc or lambda, or remove RuntimeApiUrl.");
        }

        if (!string.IsNullOrWhiteSpace(section[nameof(FunctionLaunchSettings.Command)]))
        {
            _errors.Add($"{key}: the gateway launches this function's instances (Command), and each gets an address of its own; nothing would poll this port: remove RuntimeApiUrl, or Command.");
        }

        return endpoint;
    }

    /// <summary>
    /// A Lambda function initializes in its own process before its first <c>next</c> and gets no pre-stop invocation:
    /// FC's lifecycle invocations would never be answered (wire contract §14).
    /// </summary>
    private void RefuseFcLifecycle(IConfigurationSection section)
    {
        if (IsTrue(section, nameof(FunctionSettings.Initializer)))
        {
            _errors.Add($"{section.Path}:{nameof(FunctionSettings.Initializer)}: a Lambda function (RuntimeApi lambda) initializes in its process before its first invocation; remove Initializer.");
        }

        if (IsTrue(section, nameof(FunctionLaunchSettings.PreStop)))
        {
            _errors.Add($"{section.Path}:{nameof(FunctionLaunchSettings.PreStop)}: the Lambda runtime API has no pre-stop invocation; remove PreStop (a Lambda process gets SIGTERM when it is stopped).");
        }
    }

    /// <summary>True when <paramref name="key"/> says true; anything that is not a boolean is reported where the key is read.</summary>
    private static bool IsTrue(IConfigurationSection section, string key) => bool.TryParse(section[key], out var value) && value;

    private FunctionLaunchSettings? ReadLaunch(IConfigurationSection section, RuntimeApiProtocol? runtimeApi)
    {
        var command = section[nameof(FunctionLaunchSettings.Command)];
        if (string.IsNullOrWhiteSpace(command))
        {
            // Without Command the gateway starts nothing: a launch key set alone is a mistake, not a default.
            foreach (var key in GatewaySettingsKeys.LaunchOnly.Where(key => section.GetSection(key).Exists()))
            {
                _errors.Add($"{section.Path}:{key}: only used to start the function's instances, and Command is not set: set Command or remove {key}.");
            }

            return null;
        }

        if (runtimeApi is null && string.IsNullOrWhiteSpace(section[nameof(FunctionSettings.RuntimeApi)]))
        {
            _errors.Add($"{section.Path}:{nameof(FunctionLaunchSettings.Command)}: instances the gateway starts pull their invocations: set {section.Path}:{nameof(FunctionSettings.RuntimeApi)} to fc or lambda.");
        }

        var defaults = new FunctionLaunchSettings { Command = "" };
        var baseDirectory = Directory.GetCurrentDirectory();
        var minInstances = (int)ReadNonNegative(section, nameof(FunctionLaunchSettings.MinInstances), defaults.MinInstances, int.MaxValue);
        var maxInstances = (int)ReadPositive(section, nameof(FunctionLaunchSettings.MaxInstances), defaults.MaxInstances, int.MaxValue);
        if (maxInstances < minInstances)
        {
            _errors.Add($"{section.Path}:{nameof(FunctionLaunchSettings.MaxInstances)}: {maxInstances} is below MinInstances ({minInstances}): raise MaxInstances or lower MinInstances.");
        }

        return new FunctionLaunchSettings
        {
            Command = FunctionLaunchValues.ReadCommand(section, command, baseDirectory, _errors),
            Arguments = FunctionLaunchValues.ReadArguments(section, _errors),
            WorkingDirectory = FunctionLaunchValues.ReadWorkingDirectory(section, baseDirectory, _errors),
            Environment = FunctionLaunchValues.ReadEnvironment(section, _errors),
            MinInstances = minInstances,
            MaxInstances = maxInstances,
            IdleTimeout = ReadPositiveTimeSpan(section, nameof(FunctionLaunchSettings.IdleTimeout), defaults.IdleTimeout),
            PreStop = ReadBool(section, nameof(FunctionLaunchSettings.PreStop), defaults.PreStop),
            StopTimeout = ReadPositiveTimeSpan(section, nameof(FunctionLaunchSettings.StopTimeout), defaults.StopTimeout),
        };
    }

    private bool ReadBool(IConfigurationSection section, string key, bool defaultValue)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        _errors.Add($"{section.Path}:{key}: '{text}' is not a boolean (use true or false).");
        return defaultValue;
    }

    private long ReadPositive(IConfigurationSection section, string key, long defaultValue, long maximum, string minimumText = "1")
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= maximum)
        {
            return value;
        }

        _errors.Add($"{section.Path}:{key}: '{text}' must be a whole number between {minimumText} and {maximum}.");
        return defaultValue;
    }

    private long ReadNonNegative(IConfigurationSection section, string key, long defaultValue, long maximum)
    {
        var text = section[key];
        if (text == "0")
        {
            return 0;
        }

        return ReadPositive(section, key, defaultValue, maximum, minimumText: "0");
    }

    private TimeSpan ReadPositiveTimeSpan(IConfigurationSection section, string key, TimeSpan defaultValue)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        // A bare number parses as days ("30" is a month), never what was meant: insist on hh:mm:ss.
        if (!text.Contains(':', StringComparison.Ordinal) || !TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) || value <= TimeSpan.Zero)
        {
            _errors.Add($"{section.Path}:{key}: '{text}' must be a positive duration written as hh:mm:ss (for example 00:00:30).");
            return defaultValue;
        }

        // Every duration ends up in a timer (CancelAfter, Task.Delay), which refuses a longer one at each use.
        if (value > LongestTimer)
        {
            _errors.Add($"{section.Path}:{key}: '{text}' is longer than the longest duration a timer accepts, {LongestTimer:c}: use a shorter one.");
            return defaultValue;
        }

        return value;
    }

    private string ReadNonEmpty(IConfigurationSection section, string key, string defaultValue)
    {
        var text = section[key];
        if (text is null)
        {
            return defaultValue;
        }

        if (string.IsNullOrWhiteSpace(text) || text.AsSpan().ContainsAny('\r', '\n'))
        {
            _errors.Add($"{section.Path}:{key}: must be a non-empty single-line value (omit the key to use '{defaultValue}').");
            return defaultValue;
        }

        return text.Trim();
    }

    private string ReadSingleLine(IConfigurationSection section, string key)
    {
        var text = section[key] ?? "";
        if (text.AsSpan().ContainsAny('\r', '\n'))
        {
            _errors.Add($"{section.Path}:{key}: must be a single line; it is sent to workers as a header.");
            return "";
        }

        return text.Trim();
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
