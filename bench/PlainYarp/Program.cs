using Yarp.ReverseProxy.Configuration;

// Plain YARP passthrough: one route /{**catchall} to one destination, nothing else. Same Kestrel body limit
// as the gateway (32 MB), same log level. Usage: PlainYarp --urls http://127.0.0.1:<port> --Destination http://127.0.0.1:<worker>
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MaxRequestBodySize = 32L * 1024 * 1024;
});

var destination = builder.Configuration["Destination"]
    ?? throw new InvalidOperationException("Pass the worker's address: --Destination http://127.0.0.1:<port>");

builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "worker", Match = new RouteMatch { Path = "/{**catchall}" } }],
    [new ClusterConfig
    {
        ClusterId = "worker",
        Destinations = new Dictionary<string, DestinationConfig> { ["worker"] = new() { Address = destination } },
    }]);

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
