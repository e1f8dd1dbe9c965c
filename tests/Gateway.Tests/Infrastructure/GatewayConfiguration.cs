namespace Gateway.Tests.Infrastructure;

/// <summary>Builds gateway configuration as the flat keys of appsettings.json.</summary>
public sealed class GatewayConfiguration
{
    public Dictionary<string, string?> Values { get; } = new()
    {
        ["Gateway:AccountId"] = "1234567890",
        ["Gateway:Region"] = "cn-test",
    };

    public GatewayConfiguration WithFunction(string function, params string[] workerUrls)
    {
        Values[$"ReverseProxy:Routes:{function}:ClusterId"] = function;
        Values[$"ReverseProxy:Routes:{function}:Match:Path"] = $"/{function}/{{**rest}}";
        Values[$"ReverseProxy:Routes:{function}:Metadata:FunctionName"] = function;
        for (var i = 0; i < workerUrls.Length; i++)
        {
            Values[$"ReverseProxy:Clusters:{function}:Destinations:d{i}:Address"] = workerUrls[i];
        }

        return this;
    }

    public GatewayConfiguration Set(string key, string? value)
    {
        Values[key] = value;
        return this;
    }
}
