using System.Net;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.EndToEnd;

/// <summary>An edit the gateway takes during its start-up, before Kestrel starts, decides what Kestrel binds.</summary>
public sealed class KestrelEditBeforeStartTests
{
    /// <remarks>
    /// The edit adds the endpoint <c>web</c> to a gateway configured with <c>Urls</c> only: Kestrel starts on it, not on
    /// <c>Urls</c>. A later edit that moves <c>web</c> and adds an endpoint on the port it leaves is taken, since Kestrel
    /// stops <c>web</c> before it binds that. Before, the gateway took its listeners as configured when it read its
    /// configuration, and refused that edit, naming <c>web</c>'s address as <c>Urls (bound since start-up)</c>.
    /// </remarks>
    [Fact]
    public async Task AnEndpointAnEditAddsBeforeKestrelStarts_IsCheckedAsAnEndpoint_NotAsUrls()
    {
        var (first, moved) = ($"http://127.0.0.1:{QuickStartFolder.FreePort()}", $"http://127.0.0.1:{QuickStartFolder.FreePort()}");
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddHostedService(provider => new EditBeforeKestrelStarts(provider, editable, first));
        });
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{first}/echo/")).StatusCode);

        editable.Put(("Kestrel:Endpoints:web:Url", moved), ("Kestrel:Endpoints:other:Url", first), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force") || gateway.Logs.Contains("previous settings stay in force"));

        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("previous settings stay in force", StringComparison.Ordinal));
        await Eventually.HoldsAsync(() => AnswersAsync(client, moved));
        await Eventually.HoldsAsync(() => AnswersAsync(client, first));
    }

    /// <remarks>
    /// Kestrel started on the endpoint <c>web</c> an edit added before it started, not on <c>Urls</c>: an edit that removes
    /// it would leave nothing listening, and is refused, naming <c>Kestrel:Endpoints</c>. Before, the gateway took the
    /// <c>Urls</c> it read its configuration with for what Kestrel listens on: it took the edit, Kestrel stopped <c>web</c>
    /// and bound nothing in its place, and the gateway ran on without a listener.
    /// </remarks>
    [Fact]
    public async Task AnEditThatRemovesTheEndpointAnEditAddedBeforeKestrelStarted_IsRefused_AndItKeepsListening()
    {
        var url = $"http://127.0.0.1:{QuickStartFolder.FreePort()}";
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddHostedService(provider => new EditBeforeKestrelStarts(provider, editable, url));
        });

        editable.Replace(["Kestrel"], ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force") || gateway.Logs.Contains("previous settings stay in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains("previous settings stay in force", StringComparison.Ordinal)
            && line.Contains("Kestrel:Endpoints: the edit removes every endpoint", StringComparison.Ordinal));
        using var client = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{url}/echo/")).StatusCode);
        Assert.Equal("512", worker.Received.Last().Header("x-fc-function-memory"));
    }

    private static async Task<bool> AnswersAsync(HttpClient client, string url)
    {
        try
        {
            return (await client.GetAsync($"{url}/echo/")).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>
    /// Started before Kestrel (the web host's service starts after those an application adds): adds the endpoint
    /// <c>web</c> at <paramref name="url"/>, and returns once the gateway has handed it to Kestrel.
    /// </summary>
    private sealed class EditBeforeKestrelStarts(IServiceProvider services, EditableConfiguration editable, string url) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            // The gateway follows the configuration from the moment its provider exists.
            _ = services.GetRequiredService<IProxyConfigProvider>();
            var kestrelReads = services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.ConfigurationLoader!.Configuration;
            editable.Put("Kestrel:Endpoints:web:Url", url);
            await Eventually.HoldsAsync(() => kestrelReads["Endpoints:web:Url"] == url);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
