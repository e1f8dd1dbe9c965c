using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

// Plain YARP passthrough: one route /{**catchall} to one destination, nothing else. Same Kestrel body limit
// as the gateway (32 MB), same log level. Usage: PlainYarp --urls http://127.0.0.1:<port> --Destination http://127.0.0.1:<worker>
// [--DestinationHttpVersion 2]: with 2, the worker is called over cleartext HTTP/2 (prior knowledge), as a gateway cluster
// asking for it with HttpRequest Version 2 and VersionPolicy RequestVersionExact.
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
        HttpRequest = builder.Configuration["DestinationHttpVersion"] == "2"
            ? new ForwarderRequestConfig { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact }
            : null,
    }]);

var app = builder.Build();
app.MapReverseProxy();
await app.RunAsync();
