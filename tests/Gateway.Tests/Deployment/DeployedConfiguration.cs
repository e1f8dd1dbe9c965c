using FcGateway;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Deployment;

/// <summary>
/// The configuration a deployment file gives the gateway image: the repository's appsettings.json (the image's
/// <c>/app/appsettings.json</c>) with the file's environment variables over it, put through the gateway's own start-up
/// checks (<see cref="GatewayHost.BuildAsync"/>, which rejects a misspelt key or a value it cannot use) without starting it.
/// </summary>
public static class DeployedConfiguration
{
    /// <summary>Builds the gateway from that configuration; throws what the gateway would stop its start with.</summary>
    public static async Task BuildGatewayAsync(IEnumerable<KeyValuePair<string, string>> environment)
    {
        // A folder of its own: the content root's file watcher would otherwise watch the whole repository.
        var contentRoot = Directory.CreateTempSubdirectory("deployed-gateway-").FullName;
        try
        {
            File.Copy(RepositoryRoot.File("appsettings.json"), Path.Combine(contentRoot, "appsettings.json"));
            var app = await GatewayHost.BuildAsync(["--contentRoot", contentRoot], builder =>
            {
                // As the environment variables' provider reads them: "__" separates the sections.
                builder.Configuration.AddInMemoryCollection(
                    environment.Select(variable => KeyValuePair.Create(variable.Key.Replace("__", ":", StringComparison.Ordinal), (string?)variable.Value)));
                builder.Logging.ClearProviders();
            });
            await app.DisposeAsync();
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }
}
