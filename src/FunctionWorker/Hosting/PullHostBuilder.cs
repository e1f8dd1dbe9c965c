using FcWorker.RuntimeApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FcWorker.Hosting;

/// <summary>
/// The builder of a worker that pulls from <c>FC_RUNTIME_API</c>. A pulled instance is launched when an invocation
/// waits for it, so its start-up is on that invocation's latency: <see cref="WebApplication.CreateEmptyBuilder"/>
/// skips what <see cref="WebApplication.CreateSlimBuilder(WebApplicationOptions)"/> sets up for listening (Kestrel,
/// routing, host filtering, forwarded headers), which took a launched sample ~25 ms longer to reach its first poll.
/// What a pulling worker still uses is added back as the slim builder has it: the same configuration sources in the same
/// order, the environment name, console logging configured from the <c>Logging</c> section.
/// </summary>
internal static class PullHostBuilder
{
    /// <summary>
    /// Whether the command line or the environment sets <c>FC_RUNTIME_API</c>, as the configuration would read them
    /// (the command line wins; its empty <c>--FC_RUNTIME_API=</c> keeps a worker listening).
    /// </summary>
    public static bool IsRequested(string[] args) =>
        !string.IsNullOrEmpty(new ConfigurationBuilder().AddEnvironmentVariables().AddArguments(args).Build()[RuntimeApiAddress.Key]);

    public static WebApplicationBuilder Create(string[] args, string contentRootPath)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = contentRootPath,
            EnvironmentName = EnvironmentName(args),
        });

        // The slim builder's sources, in its order. The empty builder already holds the command line and the content root;
        // the prefixed variables go beneath them. appsettings are not watched for changes: a deployed function's code does
        // not change, and a file watcher costs start-up time. (Nor are user secrets read in Development: FC has none.)
        var configuration = builder.Configuration;
        configuration.Sources.Insert(0, new EnvironmentVariablesConfigurationSource { Prefix = "ASPNETCORE_" });
        configuration.Sources.Insert(1, new EnvironmentVariablesConfigurationSource { Prefix = "DOTNET_" });
        configuration
            .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
            .AddJsonFile($"appsettings.{builder.Environment.EnvironmentName}.json", optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddArguments(args);

        builder.Logging
            .AddConfiguration(configuration.GetSection("Logging"))
            .AddSimpleConsole()
            .Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.SpanId | ActivityTrackingOptions.TraceId | ActivityTrackingOptions.ParentId);

        if (builder.Environment.IsDevelopment())
        {
            builder.Host.UseDefaultServiceProvider(o => o.ValidateScopes = o.ValidateOnBuild = true);
        }

        return builder;
    }

    /// <summary>Where the slim builder reads the environment name: prefixed variables (DOTNET_ winning), then the command line.</summary>
    private static string? EnvironmentName(string[] args) => new ConfigurationBuilder()
        .AddEnvironmentVariables("ASPNETCORE_")
        .AddEnvironmentVariables("DOTNET_")
        .AddArguments(args)
        .Build()[HostDefaults.EnvironmentKey];

    /// <summary>As in the slim builder, no command-line source without arguments (a launched function usually has none), so its assembly is not loaded.</summary>
    private static IConfigurationBuilder AddArguments(this IConfigurationBuilder configuration, string[] args) =>
        args.Length > 0 ? configuration.AddCommandLine(args) : configuration;
}
