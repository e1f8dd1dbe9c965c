using FcShared;
using FcWorker.Handlers;
using FcWorker.Invocation;
using FcWorker.Push;
using FcWorker.RuntimeApi;
using FcWorker.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FcWorker.Hosting;

/// <summary>
/// Builds the application of a worker: rules checked first, then host defaults, then either the HTTP dispatcher on
/// Kestrel (push) or, when <c>FC_RUNTIME_API</c> is set, the runtime API's poll loops (pull) on a host without
/// Kestrel (<see cref="PullHostBuilder"/>).
/// </summary>
internal static class WorkerApplicationFactory
{
    /// <summary>An HTTP-trigger event carrying a 32 MiB body is about 45 MB once base64-encoded in its JSON envelope.</summary>
    private const long MaxEventBytes = 64L * 1024 * 1024;

    public static WebApplication Create(string[] args, Delegate handler, FunctionWorkerOptions options)
    {
        WorkerSettings.Validate(options);
        var functionHandler = FunctionHandler.Create(handler, WorkerSerializerOptions.Create(options.SerializerOptions, options.TypeInfoResolver));

        // The worker's own directory, not the current one: a worker started from another app's folder
        // (a repository root, a launcher) must not pick up that app's appsettings.json.
        var contentRoot = AppContext.BaseDirectory;
        var pulling = PullHostBuilder.IsRequested(args);
        var builder = pulling
            ? PullHostBuilder.Create(args, contentRoot)
            : WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = contentRoot });

        // Lowest precedence, so any configuration overrides them: one console line per event, showing
        // the invocation's request id scope, without ASP.NET Core's per-request chatter.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData =
            [
                new("Logging:Console:FormatterOptions:IncludeScopes", "true"),
                new("Logging:Console:FormatterOptions:SingleLine", "true"),
                new("Logging:LogLevel:Microsoft.AspNetCore", "Warning"),
            ],
        });
        if (!pulling)
        {
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = MaxEventBytes;
            });

            // An event is the request body plus its JSON, a binary body base64: Kestrel's 4 KiB blocks took a receive
            // call (and a wait for data) per 4 KiB of it.
            builder.Services.AddLargeBlockMemoryPool();
        }

        options.ConfigureBuilder?.Invoke(builder);

        var settings = WorkerSettings.Resolve(builder.Configuration, options);
        builder.Services.AddSingleton(services => CreateCallHandler(services.GetRequiredService<ILoggerFactory>(), functionHandler, options));
        if (settings.RuntimeApi is { } runtimeApi)
        {
            PullFrom(builder, runtimeApi, settings);
            return builder.Build();
        }

        if (pulling)
        {
            // Only ConfigureBuilder can get here, by changing the configuration: the empty builder has no server to listen with.
            throw new InvalidOperationException(
                $"{RuntimeApiAddress.Key} is set on the command line or in the environment, so the worker was built to pull from it, "
                + $"but ConfigureBuilder left the configuration without it. To listen instead, pass an empty --{RuntimeApiAddress.Key}=.");
        }

        if (settings.DefaultUrl is { } url)
        {
            builder.WebHost.UseUrls(url);
        }

        var app = builder.Build();
        var calls = app.Services.GetRequiredService<PlatformCallHandler>();
        var invoke = new InvokeEndpoint(
            calls, new ConcurrencyGate(settings.MaxConcurrentInvocations), app.Services.GetRequiredService<ILogger<InvokeEndpoint>>());
        app.Run(new WorkerDispatcher(invoke, calls).DispatchAsync);
        return app;
    }

    /// <summary>Pull mode: no listener; one poll loop per invocation the worker may run at once.</summary>
    private static void PullFrom(WebApplicationBuilder builder, Uri runtimeApi, WorkerSettings settings)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Replace(ServiceDescriptor.Singleton<IServer, NoListenerServer>());
        builder.Services.AddSingleton(services => new LaunchingGateway(
            settings.LaunchedByGateway,
            services.GetRequiredService<IHostApplicationLifetime>(),
            runtimeApi,
            services.GetRequiredService<ILogger<LaunchingGateway>>()));
        builder.Services.AddHostedService(services => new RuntimeApiPoller(
            new RuntimeApiClient(runtimeApi, settings.RuntimeApiOverHttp2),
            services.GetRequiredService<PlatformCallHandler>(),
            settings.MaxConcurrentInvocations,
            services.GetRequiredService<LaunchingGateway>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<RuntimeApiPoller>>()));
    }

    private static PlatformCallHandler CreateCallHandler(ILoggerFactory loggerFactory, FunctionHandler handler, FunctionWorkerOptions options)
    {
        var runner = new InvocationRunner(loggerFactory.CreateLogger<InvocationRunner>(), loggerFactory.CreateLogger("FcWorker.Function"));
        return new PlatformCallHandler(runner, new HandlerPipeline(handler, loggerFactory.CreateLogger<HandlerPipeline>()), options);
    }
}
