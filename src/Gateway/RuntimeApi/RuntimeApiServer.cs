using System.Diagnostics;
using System.Net;
using System.Diagnostics.Metrics;
using FcGateway.Configuration;
using FcGateway.Dispatch.Pull;
using FcShared;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FcGateway.RuntimeApi;

/// <summary>
/// The runtime API's own listener (<c>Gateway:RuntimeApi:Urls</c>, default <c>http://127.0.0.1:9500</c>): a server
/// apart from the clients' so that no client request can reach it, and no worker poll a function route. It starts when
/// the start-up configuration has a function that pulls its invocations, or names the listener explicitly.
/// </summary>
internal sealed partial class RuntimeApiServer(
    GatewaySettingsMonitor settings, RuntimeApiEndpoints endpoints, RuntimeApiDirectory directory, ILoggerFactory loggerFactory,
    ILogger<RuntimeApiServer> logger)
    : IHostedService, IRuntimeApiListener, IBoundRuntimeApiListeners, IAsyncDisposable
{
    /// <summary>The source of the runtime API's request activities, which no exporter of the gateway listens to.</summary>
    public const string HostingActivitySourceName = "FcGateway.RuntimeApi.Hosting";

    private static readonly RuntimeApiWire[] Wires = [new FcRuntimeApiWire(), new LambdaRuntimeApiWire()];

    private readonly Dictionary<string, EndPoint> _functionAddresses = new(StringComparer.Ordinal);
    private WebApplication? _app;
    private PrefixedPorts? _prefixedPorts;

    /// <summary>The first address the runtime API listens on, once started; null when it does not run.</summary>
    public Uri? Address { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<(string Key, string Url)> Bound { get; private set; } = [];

    /// <summary>The listener's own services (apart from the gateway's), once started; null when it does not run.</summary>
    internal IServiceProvider? Services => _app?.Services;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var current = settings.Current;
        if (!current.StartsRuntimeApi)
        {
            return;
        }

        // An empty builder: the listener reads nothing from the process's configuration (environment variables, an
        // appsettings.json in the working directory), so the clients' Kestrel:Endpoints, URLS or limits never apply to it;
        // Gateway:RuntimeApi:Urls alone says where it listens.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        var prefixedPorts = new PrefixedPorts();
        JoinPrefixedPorts(builder.Services, prefixedPorts);
        builder.Services.AddLargeBlockMemoryPool();
        builder.Services.AddSingleton<ILoggerFactory>(new RuntimeApiLoggerFactory(loggerFactory));
        builder.Services.AddSingleton<IHostLifetime, GatewayOwnsTheLifetime>();

        // Workers' polls and replies are not the gateway's traffic: their server spans and metrics stay out of what the
        // gateway's telemetry observes (the source and meters of ASP.NET Core are found by name, process-wide).
        builder.Services.AddSingleton(new ActivitySource(HostingActivitySourceName));

        // So is its DiagnosticListener, which OpenTelemetry's ASP.NET Core instrumentation subscribes to by name in every
        // host: under ASP.NET Core's name it would have hosting start an activity for every poll and reply, a trace never
        // exported whose id the lines logged while serving them would carry.
        builder.Services.Replace(ServiceDescriptor.Singleton(_ => new DiagnosticListener(HostingActivitySourceName)));
        builder.Services.Replace(ServiceDescriptor.Singleton<DiagnosticSource>(services => services.GetRequiredService<DiagnosticListener>()));
        builder.Services.AddSingleton<IMeterFactory, RuntimeApiMeterFactory>();
        builder.WebHost.UseUrls(current.RuntimeApi.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            RuntimeApiListenerLimits.Apply(kestrel.Limits);
            kestrel.AllowAlternateSchemes = true;
            kestrel.ConfigureEndpointDefaults(listener =>
            {
                listener.Protocols = HttpProtocols.Http1AndHttp2;
                listener.Use(CleartextHttp2Detection.DetectAsync);
            });
        });
        var app = builder.Build();
        var router = new RuntimeApiRouter(endpoints, directory, new RootAddress(current), Wires);
        app.Use(router.RouteAsync);

        try
        {
            await app.StartAsync(cancellationToken);
            OpenFunctionPorts(current, prefixedPorts);
        }
        catch (Exception ex) when (ex is GatewayStartupException || ex.InnerException is AddressInUseException)
        {
            prefixedPorts.Dispose();
            await app.DisposeAsync();
            throw ex as GatewayStartupException ?? new GatewayStartupException(
                $"Runtime API: {ex.Message} Free the port or listen elsewhere with Gateway:RuntimeApi:Urls, e.g. --Gateway:RuntimeApi:Urls http://127.0.0.1:9501.", ex);
        }

        _app = app;
        _prefixedPorts = prefixedPorts;
        Address = new Uri(app.Urls.First());

        // app.Urls are the addresses Kestrel bound (its IServerAddressesFeature), a port of 0 replaced by the one taken.
        Bound = [.. app.Urls.Select(url => ($"{GatewaySettingsReader.SectionName}:RuntimeApi:Urls", url)),
            .. _functionAddresses.Select(function => ($"{GatewaySettingsReader.SectionName}:Functions:{function.Key}:RuntimeApiUrl", $"http://{function.Value}"))];
        Log.Listening(logger, string.Join(", ", app.Urls));
    }

    /// <summary>Where function <paramref name="functionName"/>'s own port (<c>RuntimeApiUrl</c>) listens; null when it has none.</summary>
    public EndPoint? FunctionAddress(string functionName) => _functionAddresses.GetValueOrDefault(functionName);

    public InstanceAddress? OpenInstanceAddress(string functionName, string instanceId)
    {
        if (_prefixedPorts is null)
        {
            return null;
        }

        var (port, address) = _prefixedPorts.Open(new IPEndPoint(IPAddress.Loopback, 0), new PortPrefix(functionName, instanceId));
        return new InstanceAddress(address.ToString()!, port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stopped after the clients' requests have drained: a poll still waiting now would wait for nothing, and hold
        // Kestrel's stop until the shutdown time ran out.
        directory.EndPolls();

        // The ports' connections are left to Kestrel's stop, which lets their answers (a poll's 503) go out first:
        // releasing their listeners now would pull the memory pool from under them and cut them with no answer.
        _prefixedPorts?.StopAccepting();
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _prefixedPorts?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>
    /// Listens on the ports of the functions that have one (<c>RuntimeApiUrl</c>), each served as the function's prefix;
    /// every address that cannot be had is reported at once.
    /// </summary>
    private void OpenFunctionPorts(GatewaySettings current, PrefixedPorts ports)
    {
        var refused = new List<string>();
        foreach (var (name, function) in current.Functions)
        {
            if (function.RuntimeApiUrl is not { } endpoint)
            {
                continue;
            }

            try
            {
                var (_, address) = ports.Open(endpoint, new PortPrefix(name, Instance: null));
                _functionAddresses[name] = address;
                Log.FunctionListening(logger, name, address.ToString()!);
            }
            catch (Exception ex) when (ex is AddressInUseException or System.Net.Sockets.SocketException)
            {
                refused.Add($"Gateway:Functions:{name}:RuntimeApiUrl: cannot listen on {endpoint} ({ex.Message})");
            }
        }

        if (refused.Count > 0)
        {
            throw new GatewayStartupException($"Runtime API: {string.Join("; ", refused)}. Free the port, or give the function another.");
        }
    }

    /// <summary>Kestrel's transport, its first listener joined by the connections of <paramref name="ports"/>.</summary>
    private static void JoinPrefixedPorts(IServiceCollection services, PrefixedPorts ports)
    {
        var transport = services.Last(service => service.ServiceType == typeof(IConnectionListenerFactory));
        services.Remove(transport);
        services.AddSingleton<IConnectionListenerFactory>(provider => new PrefixedPortTransportFactory(
            (IConnectionListenerFactory)(transport.ImplementationInstance
                ?? transport.ImplementationFactory?.Invoke(provider)
                ?? ActivatorUtilities.CreateInstance(provider, transport.ImplementationType!)),
            ports));
    }

    /// <summary>The gateway's host handles Ctrl+C and SIGTERM and stops this server; it needs no console lifetime of its own.</summary>
    private sealed class GatewayOwnsTheLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.RuntimeApiListening, LogLevel.Information, "Runtime API listening on {Urls}; a worker of function NAME polls it at <host:port>/functions/NAME (FC_RUNTIME_API, or AWS_LAMBDA_RUNTIME_API for a Lambda function), or at <host:port> when NAME is the only function pulling with its protocol.")]
        public static partial void Listening(ILogger logger, string urls);

        [LoggerMessage(EventIds.RuntimeApiFunctionListening, LogLevel.Information, "Runtime API: function '{Function}' has a port of its own, {Address}: a worker polls it at <host:port> (FC_RUNTIME_API, or AWS_LAMBDA_RUNTIME_API for a Lambda function).")]
        public static partial void FunctionListening(ILogger logger, string function, string address);
    }
}
