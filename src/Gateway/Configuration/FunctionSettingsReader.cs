using System.Net;

namespace FcGateway.Configuration;

/// <summary>
/// Reads <c>Gateway:Functions</c>: each function's settings, how its workers are reached (pushed to, or pulling from the
/// runtime API, at an address of its own or launched by the gateway), every problem reported rather than the first.
/// </summary>
internal sealed class FunctionSettingsReader
{
    private readonly SettingsErrors _errors;

    private FunctionSettingsReader(SettingsErrors errors)
    {
        _errors = errors;
    }

    /// <summary>Reads every function under <paramref name="section"/>, reporting each problem to <paramref name="errors"/>.</summary>
    public static Dictionary<string, FunctionSettings> Read(IConfigurationSection section, SettingsErrors errors)
    {
        // Two functions' RuntimeApiUrl on one port are found with the gateway's other listeners (ListenerCollisions).
        var functions = new Dictionary<string, FunctionSettings>(StringComparer.Ordinal);
        var reader = new FunctionSettingsReader(errors);
        foreach (var function in section.GetChildren())
        {
            functions[function.Key] = reader.ReadFunction(function);
        }

        return functions;
    }

    private FunctionSettings ReadFunction(IConfigurationSection section)
    {
        _errors.CheckKeys(section, GatewaySettingsKeys.Function);
        var defaults = FunctionSettings.Default;
        var credentials = section.GetSection(nameof(FunctionSettings.Credentials));
        _errors.CheckKeys(credentials, GatewaySettingsKeys.Credentials);
        var runtimeApi = ReadRuntimeApi(section);
        return new FunctionSettings
        {
            Timeout = _errors.ReadPositiveTimeSpan(section, nameof(FunctionSettings.Timeout), defaults.Timeout),
            MemorySize = (int)_errors.ReadPositive(section, nameof(FunctionSettings.MemorySize), defaults.MemorySize, int.MaxValue),
            Qualifier = _errors.ReadNonEmpty(section, nameof(FunctionSettings.Qualifier), defaults.Qualifier),
            VersionId = _errors.ReadNonEmpty(section, nameof(FunctionSettings.VersionId), defaults.VersionId),
            Handler = _errors.ReadNonEmpty(section, nameof(FunctionSettings.Handler), defaults.Handler),
            Initializer = _errors.ReadBool(section, nameof(FunctionSettings.Initializer), defaults.Initializer),
            InitializerHandler = _errors.ReadNonEmpty(section, nameof(FunctionSettings.InitializerHandler), defaults.InitializerHandler),
            InitializationTimeout = _errors.ReadPositiveTimeSpan(section, nameof(FunctionSettings.InitializationTimeout), defaults.InitializationTimeout),
            PreStop = ReadPreStop(section, runtimeApi),
            InstanceConcurrency = (int)_errors.ReadPositive(section, nameof(FunctionSettings.InstanceConcurrency), defaults.InstanceConcurrency, int.MaxValue),
            MaxQueueLength = (int)_errors.ReadNonNegative(section, nameof(FunctionSettings.MaxQueueLength), defaults.MaxQueueLength, int.MaxValue),
            QueueTimeout = _errors.ReadPositiveTimeSpan(section, nameof(FunctionSettings.QueueTimeout), defaults.QueueTimeout),
            Credentials = new FunctionCredentials
            {
                AccessKeyId = SettingsErrors.NullIfEmpty(credentials[nameof(FunctionCredentials.AccessKeyId)]),
                AccessKeySecret = SettingsErrors.NullIfEmpty(credentials[nameof(FunctionCredentials.AccessKeySecret)]),
                SecurityToken = SettingsErrors.NullIfEmpty(credentials[nameof(FunctionCredentials.SecurityToken)]),
            },
            RuntimeApi = runtimeApi,
            RuntimeApiUrl = ReadRuntimeApiUrl(section, runtimeApi),
            PayloadFormatVersion = ReadPayloadFormat(section, runtimeApi),
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

    private LambdaPayloadFormat ReadPayloadFormat(IConfigurationSection section, RuntimeApiProtocol? runtimeApi)
    {
        var text = section[nameof(FunctionSettings.PayloadFormatVersion)];
        if (string.IsNullOrWhiteSpace(text))
        {
            return FunctionSettings.Default.PayloadFormatVersion;
        }

        var key = $"{section.Path}:{nameof(FunctionSettings.PayloadFormatVersion)}";
        if (runtimeApi != RuntimeApiProtocol.Lambda)
        {
            _errors.Add($"{key}: only a Lambda function (RuntimeApi lambda) has a payload format version; an FC function gets FC's event.");
        }

        switch (text.Trim())
        {
            case "1.0":
                return LambdaPayloadFormat.V1;
            case "2.0":
                return LambdaPayloadFormat.V2;
            default:
                _errors.Add($"{key}: '{text}' is not one of 1.0 (API Gateway's REST API proxy event), 2.0 (the function URL event, the default).");
                return FunctionSettings.Default.PayloadFormatVersion;
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

        if (IsTrue(section, nameof(FunctionSettings.PreStop)))
        {
            _errors.Add($"{section.Path}:{nameof(FunctionSettings.PreStop)}: the Lambda runtime API has no pre-stop invocation; remove PreStop (a Lambda process gets SIGTERM when it is stopped).");
        }
    }

    /// <summary>
    /// Whether the function's instances are told before they are retired: a pushed worker gets <c>GET /pre-stop</c>, an
    /// instance the gateway launched a pre-stop invocation. A worker that pulls from the shared address is retired by
    /// nothing the gateway sees, so nothing would be sent (a Lambda function is refused in <see cref="RefuseFcLifecycle"/>).
    /// </summary>
    private bool ReadPreStop(IConfigurationSection section, RuntimeApiProtocol? runtimeApi)
    {
        var preStop = _errors.ReadBool(section, nameof(FunctionSettings.PreStop), FunctionSettings.Default.PreStop);
        if (preStop && runtimeApi == RuntimeApiProtocol.Fc && string.IsNullOrWhiteSpace(section[nameof(FunctionLaunchSettings.Command)]))
        {
            _errors.Add(
                $"{section.Path}:{nameof(FunctionSettings.PreStop)}: the workers of this function pull their invocations and the gateway does not start "
                + "them, so it never retires one and would send no pre-stop: set Command for the gateway to start its instances, or remove PreStop.");
        }

        return preStop;
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
        var minInstances = (int)_errors.ReadNonNegative(section, nameof(FunctionLaunchSettings.MinInstances), defaults.MinInstances, int.MaxValue);
        var maxInstances = (int)_errors.ReadPositive(section, nameof(FunctionLaunchSettings.MaxInstances), defaults.MaxInstances, int.MaxValue);
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
            IdleTimeout = _errors.ReadPositiveTimeSpan(section, nameof(FunctionLaunchSettings.IdleTimeout), defaults.IdleTimeout),
            StopTimeout = _errors.ReadPositiveTimeSpan(section, nameof(FunctionLaunchSettings.StopTimeout), defaults.StopTimeout),
        };
    }
}
