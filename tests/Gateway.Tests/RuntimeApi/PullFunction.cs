using System.Runtime.InteropServices;
using FcGateway.Dispatch.Pull;
using FcGateway.Dispatch.Scheduling;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.RuntimeApi;

/// <summary>A gateway with one function, <c>echo</c>, whose workers pull from the runtime API on a free port.</summary>
internal static class PullFunction
{
    public const string Name = "echo";

    /// <summary>The <c>dotnet</c> host running the tests, to launch the C# SDK's samples with.</summary>
    public static string Dotnet => Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));

    public static GatewayConfiguration Configuration() => new GatewayConfiguration()
        .Set($"ReverseProxy:Routes:{Name}:Match:Path", $"/{Name}/{{**rest}}")
        .Set($"ReverseProxy:Routes:{Name}:Metadata:FunctionName", Name)
        .Set($"Gateway:Functions:{Name}:RuntimeApi", "fc")
        .Set("Gateway:RuntimeApi:Urls", "http://127.0.0.1:0");

    public static Task<TestGateway> StartAsync(
        Action<GatewayConfiguration>? configure = null, TimeProvider? timeProvider = null, ILoggerProvider? logs = null)
    {
        var config = Configuration();
        configure?.Invoke(config);
        return TestGateway.StartAsync(config.Values, builder =>
        {
            if (timeProvider is not null)
            {
                builder.Services.AddSingleton(timeProvider);
            }

            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
            }
        });
    }

    /// <summary>What a worker of <paramref name="function"/> sets <c>FC_RUNTIME_API</c> to.</summary>
    public static string RuntimeApi(this TestGateway gateway, string function = Name) =>
        $"{gateway.Services.GetRequiredService<RuntimeApiServer>().Address!.Authority}/functions/{function}";

    /// <summary>The queue of <c>echo</c>'s invocations.</summary>
    public static FunctionInstanceQueue Queue(this TestGateway gateway) => gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf(Name);

    /// <summary>The pool of <c>echo</c>'s launched instances.</summary>
    public static LaunchedInstancePool Pool(this TestGateway gateway) => gateway.Services.GetRequiredService<LaunchedInstancePools>().For(Name);
}
