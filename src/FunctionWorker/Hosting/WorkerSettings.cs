using System.Globalization;
using FcWorker.RuntimeApi;
using Microsoft.Extensions.Configuration;

namespace FcWorker.Hosting;

/// <summary>
/// The worker's settings after merging options with configuration (command line, environment). With
/// <see cref="RuntimeApi"/> the worker pulls its invocations from there and listens nowhere, so it has no <see cref="DefaultUrl"/>;
/// over cleartext HTTP/2 when <see cref="RuntimeApiOverHttp2"/>, and stopping once a failed poll shows the gateway gone
/// when <see cref="LaunchedByGateway"/>.
/// </summary>
internal sealed record WorkerSettings(
    int MaxConcurrentInvocations, string? DefaultUrl, Uri? RuntimeApi, bool RuntimeApiOverHttp2 = false, bool LaunchedByGateway = false)
{
    public const string ServerPortKey = "FC_SERVER_PORT";
    public const string InstanceConcurrencyKey = "FC_INSTANCE_CONCURRENCY";
    public const int DefaultServerPort = 9000;

    /// <summary>Throws when the options themselves are wrong: a caller's mistake, reported before any host is built.</summary>
    public static void Validate(FunctionWorkerOptions options)
    {
        if (options.MaxConcurrentInvocations < 1)
        {
            throw new ArgumentException(
                $"FunctionWorkerOptions.MaxConcurrentInvocations must be at least 1; it is {options.MaxConcurrentInvocations}.",
                nameof(options));
        }
    }

    /// <summary>Reads every setting, collecting all errors so one start-up reports them together.</summary>
    public static WorkerSettings Resolve(IConfiguration configuration, FunctionWorkerOptions options)
    {
        var errors = new List<string>();
        var concurrency = ReadInt(configuration, InstanceConcurrencyKey, 1, int.MaxValue, errors) ?? options.MaxConcurrentInvocations;

        var runtimeApi = ReadRuntimeApi(configuration, errors);
        var overHttp2 = RuntimeApiAddress.ReadProtocol(configuration[RuntimeApiAddress.ProtocolKey], errors);
        var launched = RuntimeApiAddress.ReadLaunched(configuration[RuntimeApiAddress.LaunchedKey], errors);

        // --urls and ASPNETCORE_URLS both land in the "urls" key; only without them does FC_SERVER_PORT apply.
        string? defaultUrl = null;
        if (runtimeApi is null && string.IsNullOrEmpty(configuration["urls"]))
        {
            var port = ReadInt(configuration, ServerPortKey, 0, 65_535, errors) ?? DefaultServerPort;
            defaultUrl = string.Create(CultureInfo.InvariantCulture, $"http://0.0.0.0:{port}");
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The function worker's configuration is invalid: " + string.Join(" ", errors));
        }

        return new WorkerSettings(concurrency, defaultUrl, runtimeApi, overHttp2 && runtimeApi is not null, launched && runtimeApi is not null);
    }

    private static Uri? ReadRuntimeApi(IConfiguration configuration, List<string> errors)
    {
        var text = configuration[RuntimeApiAddress.Key];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var address = RuntimeApiAddress.TryParse(text);
        if (address is null)
        {
            errors.Add(RuntimeApiAddress.Describe(text));
        }

        return address;
    }

    private static int? ReadInt(IConfiguration configuration, string key, int min, int max, List<string> errors)
    {
        var text = configuration[key];
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors.Add($"{key} must be a whole number from {min} to {max}; it is '{text}'.");
        return null;
    }
}
