using System.Net;
using System.Net.Sockets;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RuntimeApi;

/// <summary>The runtime API's listener is configured by <c>Gateway:RuntimeApi:Urls</c> alone, whatever else configures Kestrel.</summary>
public sealed class RuntimeApiListenerTests
{
    private const string RuntimeApiMarker = "Runtime API listening on ";

    [Fact]
    public async Task ClientEndpointsInKestrelConfiguration_AreNotTheRuntimeApis()
    {
        // The clients' listener is configured the way docs/gateway.md shows for h2c or TLS: Kestrel:Endpoints in the
        // appsettings.json of the working directory. The runtime API must not bind it too (it did, and the gateway
        // failed to start with "address already in use").
        var clientPort = FreePort();
        var settings = new Dictionary<string, object>
        {
            ["Kestrel"] = new { Endpoints = new { clients = new { Url = $"http://127.0.0.1:{clientPort}" } } },
            ["Gateway"] = new
            {
                RuntimeApi = new { Urls = "http://127.0.0.1:0" },
                Functions = new { pulled = new { RuntimeApi = "fc" } },
            },
            ["ReverseProxy"] = new
            {
                Routes = new { pulled = new { Match = new { Path = "/pulled/{**rest}" }, Metadata = new { FunctionName = "pulled" } } },
            },
        };

        using var gateway = await GatewayProcess.StartAsync(settings);
        Assert.Equal($"http://127.0.0.1:{clientPort}", gateway.Url);
        using var client = new HttpClient { BaseAddress = new Uri(gateway.Url) };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        var runtimeApi = await RuntimeApiAddressAsync(gateway);
        Assert.NotEqual(clientPort, runtimeApi.Port);
        using var worker = new HttpClient { BaseAddress = runtimeApi };
        using var noPoll = await worker.PostAsync("/functions/pulled/2020-11-11/runtime/invocation/unknown/response", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, noPoll.StatusCode);
    }

    private static async Task<Uri> RuntimeApiAddressAsync(GatewayProcess gateway)
    {
        string? line = null;
        await Eventually.HoldsAsync(() => (line = gateway.Output.FirstOrDefault(text => text.Contains(RuntimeApiMarker, StringComparison.Ordinal))) is not null);
        var logged = line!;
        var urls = logged[(logged.IndexOf(RuntimeApiMarker, StringComparison.Ordinal) + RuntimeApiMarker.Length)..];
        return new Uri(urls[..urls.IndexOfAny([',', ';'])]);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
