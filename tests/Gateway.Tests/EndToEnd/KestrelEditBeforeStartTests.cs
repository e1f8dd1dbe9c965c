using System.Net;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// An edit the gateway takes during its start-up, before Kestrel starts, decides what Kestrel binds; one it takes once
/// Kestrel has bound, before the gateway has started, is judged by what Kestrel bound.
/// </summary>
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

    /// <remarks>
    /// The edit adds the endpoint <c>web</c> once Kestrel has bound <c>Urls</c>, before the gateway has started: Kestrel
    /// binds it beside them, and they stay bound. A later edit that adds an endpoint on their port is refused as a
    /// collision with them. Before, the gateway read what Kestrel started on once it had started, from the section the
    /// first edit had changed: it took Kestrel for started on endpoints and <c>Urls</c> for gone, and took that edit, which
    /// Kestrel failed to bind.
    /// </remarks>
    [Fact]
    public async Task AnEndpointAnEditAddsOnceKestrelHasBound_LeavesUrlsBound_AndCheckedAsSuch()
    {
        var (urls, added) = ($"http://127.0.0.1:{QuickStartFolder.FreePort()}", $"http://127.0.0.1:{QuickStartFolder.FreePort()}");
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(new GatewayConfiguration().WithFunction("echo", worker.Url).Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.WebHost.UseUrls(urls);
            builder.Services.AddHostedService(provider => new EditOnceKestrelHasBound(provider, editable, added));
        });
        using var client = new HttpClient();
        await Eventually.HoldsAsync(() => AnswersAsync(client, added));

        editable.Put(("Kestrel:Endpoints:other:Url", urls), ("Gateway:Functions:echo:MemorySize", "2048"));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("previous settings stay in force") || gateway.Logs.Contains("is now in force"));

        Assert.Contains(gateway.Logs.Lines, line => line.Contains(
            $"Kestrel:Endpoints:other:Url: '{urls}' is port {new Uri(urls).Port} of an address Urls (bound since start-up)", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{urls}/echo/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{added}/echo/")).StatusCode);
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
    /// Started once Kestrel has bound, before the gateway has started (the host runs <see cref="StartedAsync"/> after every
    /// service's start, the web host's among them, before it signals the application started): adds the endpoint
    /// <c>web</c> at <paramref name="url"/>, and returns once the gateway has handed it to Kestrel.
    /// </summary>
    private sealed class EditOnceKestrelHasBound(IServiceProvider services, EditableConfiguration editable, string url) : IHostedLifecycleService
    {
        public async Task StartedAsync(CancellationToken cancellationToken)
        {
            var kestrelReads = services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.ConfigurationLoader!.Configuration;
            editable.Put("Kestrel:Endpoints:web:Url", url);
            await Eventually.HoldsAsync(() => kestrelReads["Endpoints:web:Url"] == url);
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
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
