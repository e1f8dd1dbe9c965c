using FcGateway;
using FcGateway.Dispatch.Pull;
using FcGateway.RuntimeApi;
using FcGateway.Edge;
using FcGateway.Configuration;
using FcGateway.Dialects;
using FcGateway.Dispatch.Health;
using FcGateway.Dispatch.Push;
using FcGateway.Dispatch.Push.Http1;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Dispatch;
using FcGateway.Edge.Errors;
using FcGateway.Edge.Health;
using FcGateway.Edge.HttpTriggers;
using FcGateway.Edge.InvokeApi;
using FcGateway.Edge.Requests;
using FcGateway.Edge.Signatures;
using FcGateway.Edge.Telemetry;
using FcGateway.Edge.Triggers;
using FcGateway.Edge.WebTriggers;
using FcGateway.Http;
using FcGateway.Launch;
using FcShared;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the HTTP-trigger gateway.</summary>
public static class GatewayServiceCollectionExtensions
{
    private const string HostingDiagnosticsCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private const string RouteMatcherCategory = "Microsoft.AspNetCore.Routing.Matching.DfaMatcher";
    private const string ActiveHealthCheckMonitorCategory = "Yarp.ReverseProxy.Health.ActiveHealthCheckMonitor";
    private const string EndpointMiddlewareCategory = "Microsoft.AspNetCore.Routing.EndpointMiddleware";
    private const string DataProtectionCategory = "Microsoft.AspNetCore.DataProtection";
    private const string ForwarderCategory = "Yarp.ReverseProxy.Forwarder.HttpForwarder";

    /// <summary>
    /// Adds the gateway: YARP loaded from the <c>ReverseProxy</c> section, the <c>Gateway</c> settings, and the
    /// services of the event-mode invocation path.
    /// </summary>
    public static IServiceCollection AddFcGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewaySettingsMonitor>();
        services.AddSingleton<GatewayConfigurationValidator>();
        services.AddSingleton<RequestIdGenerator>();
        services.AddSingleton<GatewayErrorWriter>();
        services.AddSingleton<KestrelRejections>();
        services.AddSingleton<WorkerInitializer>();
        services.AddSingleton<WorkerPreStop>();
        services.AddSingleton<WorkerConnections>();
        services.AddSingleton<WorkerInvoker>();
        services.AddSingleton<FunctionInstanceScheduler>();
        services.AddSingleton<FunctionDispatcher>();
        services.AddSingleton<RequestDrain>();
        services.AddSingleton<EventTrigger>();
        services.AddSingleton(provider => new RuntimeApiDirectory().Following(provider.GetRequiredService<GatewaySettingsMonitor>()));
        services.AddSingleton<PullInvoker>();
        services.AddSingleton<RuntimeApiEndpoints>();
        services.AddSingleton<RuntimeApiServer>();
        services.AddSingleton<IRuntimeApiListener>(provider => provider.GetRequiredService<RuntimeApiServer>());
        services.AddSingleton<IBoundRuntimeApiListeners>(provider => provider.GetRequiredService<RuntimeApiServer>());
        services.AddSingleton<LaunchedInstancePools>();
        services.AddHostedService(provider => provider.GetRequiredService<RuntimeApiServer>());
        services.AddSingleton<FunctionDialects>();
        services.AddSingleton<ClusterPolicies>();
        services.AddSingleton<WebTriggerForwarder>();
        services.AddSingleton<FunctionDirectory>();
        services.AddSingleton<HealthEndpoints>();
        services.AddSingleton<InvokeApiEndpoint>();
        services.AddSingleton<SignatureNonces>();
        services.AddSingleton<InvocationTelemetry>();
        services.AddSingleton<LaunchedProcesses>();
        services.AddHostedService(provider => provider.GetRequiredService<LaunchedProcesses>());

        // After LaunchedProcesses, so that it stops before (the host stops services in reverse order): the pre-stops come
        // before SIGTERM. After RuntimeApiServer too, which serves the instances' polls until the pools have stopped.
        services.AddHostedService(provider => provider.GetRequiredService<LaunchedInstancePools>());

        // Registered after the services that run invocations, so that it stops before them (the host stops services in
        // reverse order): the asynchronous invocations still running get to finish on running instances.
        services.AddSingleton<AsyncInvocations>();
        services.AddHostedService(provider => provider.GetRequiredService<AsyncInvocations>());
        services.AddHostedService<HangupSignal>();
        services.AddFcTriggers();
        var sectionProblems = new List<string>(TopLevelSections.Problems(configuration));
        sectionProblems.AddRange(KestrelEndpointProblems.Find(configuration));
        sectionProblems.AddRange(LogLevelProblems.Find(configuration.GetSection(LogLevelProblems.SectionName)));
        CheckedLogLevels.Replace(services, configuration.GetSection(LogLevelProblems.SectionName));
        services.AddFcGatewayTelemetry(configuration, sectionProblems);
        services.AddSingleton(new StartupSectionProblems(sectionProblems));

        // ASP.NET Core's "Request starting/finished" lines write the decoded path unescaped (an encoded CR LF in the
        // path starts a forged line); the gateway's access line says the same with client text escaped.
        services.AddLogging(logging => logging.AddFilter(HostingDiagnosticsCategory, LogLevel.Warning));

        // Routing's Debug lines ("N candidate(s) found for the request path '…'") quote the decoded path unescaped too; the
        // gateway logs which function a request reached, and why none, with client text escaped.
        services.AddLogging(logging => logging.AddFilter(RouteMatcherCategory, LogLevel.Information));

        // A rule for one provider (Logging:Console:LogLevel:Default: Debug) outranks every rule for all providers, whatever
        // their categories: each provider the configuration names gets the two holds above as rules of its own.
        services.PostConfigure<LoggerFilterOptions>(options => HoldForEveryNamedProvider(
            options, (HostingDiagnosticsCategory, LogLevel.Warning), (RouteMatcherCategory, LogLevel.Information)));

        // ASP.NET Core's hosting scope would name a second RequestId, Kestrel's, beside the one the gateway's lines name.
        services.TryAddSingleton<LoggerFactory>();
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(provider => new GatewayLoggerFactory(provider.GetRequiredService<LoggerFactory>())));

        // YARP logs each answered health probe at Information and each failed one at Warning with its stack trace, every
        // few seconds per worker; the WorkerAnswers policy logs a worker going down, with the cause, and coming back once.
        services.AddLogging(logging => logging.AddFilter(ActiveHealthCheckMonitorCategory, LogLevel.Error));

        // Routing writes "Executing endpoint" and "Executed endpoint" at Information for each request an endpoint serves: two
        // beside each invocation-API access line, two per health probe (which has none), four per pulled invocation (the
        // worker's poll and reply, on the runtime API's listener, whose loggers are the gateway's). A default only: placed
        // before the configuration's rules, it gives way to a level the configuration gives the category.
        services.Configure<LoggerFilterOptions>(options =>
            options.Rules.Insert(0, new LoggerFilterRule(providerName: null, EndpointMiddlewareCategory, LogLevel.Warning, filter: null)));

        // YARP's forwarder writes "Proxying to …" at Information for each web-mode request, and a Warning with the stack
        // trace for each worker it cannot reach, which the gateway's invocation line reports with its cause. A default only.
        services.Configure<LoggerFilterOptions>(options =>
            options.Rules.Insert(0, new LoggerFilterRule(providerName: null, ForwarderCategory, LogLevel.Error, filter: null)));

        // Data Protection (YARP's session-affinity cookies) makes its key ring at the first start and warns that no XML
        // encryptor protects the key at rest, on every fresh machine and container. A default only, as above.
        services.Configure<LoggerFilterOptions>(options =>
            options.Rules.Insert(0, new LoggerFilterRule(providerName: null, DataProtectionCategory, LogLevel.Error, filter: null)));

        services.AddSingleton<BoundStartupUrls>();
        services.AddSingleton<GatewayListeners>();
        services.AddSingleton<GatewayProxyConfigProvider>();
        services.AddSingleton<IProxyConfigProvider>(provider => provider.GetRequiredService<GatewayProxyConfigProvider>());
        services.AddSingleton<IConfigChangeListener>(provider => provider.GetRequiredService<GatewayProxyConfigProvider>());
        services.AddSingleton<IConfigChangeListener>(provider => provider.GetRequiredService<LaunchedInstancePools>());
        services.AddSingleton<IConfigChangeListener>(provider => provider.GetRequiredService<WorkerPreStop>());
        services.AddReverseProxy()
            .AddConfigFilter<FunctionRouteConfigFilter>()
            .AddTransforms(WebTriggerTransforms.Apply);
        services.AddSingleton<IActiveHealthCheckPolicy, WorkerAnswersHealthPolicy>();
        services.AddSingleton<IForwarderHttpClientFactory, GatewayForwarderHttpClientFactory>();

        services.AddOptions<KestrelServerOptions>().Configure<GatewaySettingsMonitor>(ConfigureKestrelLimits);

        // In place of the host's own reading of the section, which follows the file whether or not the gateway takes the edit.
        services.AddSingleton(new AcceptedKestrelSection(configuration));
        services.AddOptions<KestrelServerOptions>().Configure<AcceptedKestrelSection>((kestrel, accepted) => kestrel.Configure(accepted.Section, reloadOnChange: true));
        StartKestrelBetweenEdits(services);
        services.AddLargeBlockMemoryPool();
        services.AddOptions<SocketTransportOptions>().Configure(InlineSocketCompletions.FollowInKestrel);
        services.AddOptions<HostOptions>().Configure<GatewaySettingsMonitor>((host, settings) => host.ShutdownTimeout = settings.Current.DrainTimeout);
        return services;
    }

    /// <summary>
    /// Wraps the server the web host registered, Kestrel, so that no edit is copied to its section while it starts. The
    /// server's own registration (by type, factory or instance) is kept under a key of its own, so the container makes and
    /// disposes it as it would unwrapped (an instance it was given, it neither makes nor disposes); a host without a server
    /// has nothing to wrap.
    /// </summary>
    private static void StartKestrelBetweenEdits(IServiceCollection services)
    {
        if (services.LastOrDefault(service => service.ServiceType == typeof(IServer) && !service.IsKeyedService) is not { } server)
        {
            return;
        }

        const string Key = nameof(KestrelStartBetweenEdits);
        services.RemoveAll<IServer>();
        services.Add(server switch
        {
            { ImplementationInstance: { } instance } => ServiceDescriptor.KeyedSingleton(typeof(IServer), Key, instance),
            { ImplementationFactory: { } factory } => ServiceDescriptor.KeyedSingleton(typeof(IServer), Key, (provider, _) => factory(provider)),
            _ => ServiceDescriptor.KeyedSingleton(typeof(IServer), Key, server.ImplementationType!),
        });
        services.AddSingleton<IServer>(provider => new KestrelStartBetweenEdits(
            provider.GetRequiredKeyedService<IServer>(Key), provider.GetRequiredService<AcceptedKestrelSection>(), provider.GetRequiredService<BoundStartupUrls>()));
    }

    /// <summary>Adds, for every provider a rule of <paramref name="options"/> names, a rule holding each category at its level; added last, they win ties.</summary>
    private static void HoldForEveryNamedProvider(LoggerFilterOptions options, params (string Category, LogLevel Level)[] holds)
    {
        var providers = options.Rules.Select(rule => rule.ProviderName).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        foreach (var provider in providers)
        {
            foreach (var (category, level) in holds)
            {
                options.Rules.Add(new LoggerFilterRule(provider, category, level, filter: null));
            }
        }
    }

    private static void ConfigureKestrelLimits(KestrelServerOptions kestrel, GatewaySettingsMonitor settings)
    {
        kestrel.AddServerHeader = false;

        // Kestrel keeps one endpoint-defaults callback (its Kestrel:EndpointDefaults section applies apart from it): the
        // gateway's puts the connection layer of KestrelRejections under every endpoint, and subscribes it.
        kestrel.ConfigureEndpointDefaults(listen =>
        {
            listen.ApplicationServices.GetRequiredService<KestrelRejections>();
            listen.Use(KestrelRejections.Wrap);
        });
        ClientListenerLimits.Follow(kestrel.Limits, settings);
    }
}
