using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.EndToEnd;

/// <summary>Edits a running gateway's configuration for the reload tests, and the configurations they share.</summary>
internal static class ConfigurationEdits
{
    internal const string Rejected = "was rejected whole";

    internal static IConfigurationRoot Root(TestGateway gateway) => (IConfigurationRoot)gateway.Services.GetRequiredService<IConfiguration>();

    /// <summary>Makes <paramref name="edits"/> to the gateway's configuration, reloads it, and waits for the edit to be rejected.</summary>
    internal static async Task ReloadRejectedAsync(TestGateway gateway, params (string Key, string Value)[] edits)
    {
        var configuration = Root(gateway);
        foreach (var (key, value) in edits)
        {
            configuration[key] = value;
        }

        configuration.Reload();
        await Eventually.HoldsAsync(() => gateway.Logs.Contains(Rejected));
    }

    /// <summary>
    /// Function <c>echo</c> at <paramref name="workerUrl"/> behind two routes: <c>echo</c>, anonymous, on
    /// <c>/echo/public/**</c>, and <c>private</c>, asking for the bearer token <c>right</c>, on the rest of <c>/echo/**</c>.
    /// </summary>
    internal static GatewayConfiguration PublicAnonymousBesidePrivateBearer(string workerUrl) =>
        new GatewayConfiguration().WithFunction("echo", workerUrl)
            .Set("ReverseProxy:Routes:echo:Match:Path", "/echo/public/{**rest}")
            .Set("Gateway:Triggers:echo:AuthType", "anonymous")
            .Set("ReverseProxy:Routes:private:ClusterId", "echo")
            .Set("ReverseProxy:Routes:private:Match:Path", "/echo/{**rest}")
            .Set("ReverseProxy:Routes:private:Metadata:FunctionName", "echo")
            .Set("Gateway:Triggers:private:AuthType", "bearer")
            .Set("Gateway:Triggers:private:BearerTokens:0", "right");
}
