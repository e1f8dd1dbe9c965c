using FcGateway.Configuration;

namespace FcGateway;

/// <summary>Builds the gateway application; <c>Program</c> and the end-to-end tests start it the same way.</summary>
public static class GatewayHost
{
    /// <summary>
    /// Creates the gateway from the standard ASP.NET Core configuration sources (<c>appsettings.json</c> in the
    /// content root, environment variables, command-line arguments such as <c>--urls</c>).
    /// </summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="configure">Adjusts the builder before the gateway's services are added (tests add configuration here).</param>
    /// <exception cref="GatewayConfigurationException">The configuration is invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidDataException">A configuration file could not be loaded (for example, it is not valid JSON).</exception>
    /// <exception cref="GatewayStartupException">A command-line argument would not be read, the content root asked for is not a folder, or Kestrel could not set up an endpoint of its configuration.</exception>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        GatewayArguments.ThrowIfIgnored(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = GatewayContentRoot.Resolve(args),
        });
        configure?.Invoke(builder);
        LastGoodJsonConfigurationSource.ReplaceReloadingFiles(builder.Configuration);
        builder.Services.AddFcGateway(builder.Configuration);
        var app = builder.Build();
        ConfigurationFileError.LogReloadFailures(builder.Configuration, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayHost)));
        await app.Services.GetRequiredService<GatewayConfigurationValidator>().ThrowIfInvalidAsync();
        KestrelEndpoints.LoadOrThrow(app.Services);
        KestrelEndpoints.WarnOfCertificatesOutOfDate(builder.Configuration, app.Logger, app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
        app.MapFcGateway();
        StartupSummary.LogWhenStarted(app);
        return app;
    }
}
