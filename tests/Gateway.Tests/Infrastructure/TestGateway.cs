using FcGateway;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>The real gateway on Kestrel at 127.0.0.1:0, configured in memory.</summary>
public sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestGateway(WebApplication app, string url, CapturedLogs logs)
    {
        _app = app;
        Url = url;
        Logs = logs;
        Client = new HttpClient { BaseAddress = new Uri(url) };
    }

    public string Url { get; }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TestGateway> StartAsync(IDictionary<string, string?> configuration, Action<WebApplicationBuilder>? configure = null)
    {
        var logs = new CapturedLogs();
        var app = await GatewayHost.BuildAsync([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new TestGateway(app, LoopbackServer.UrlOf(app), logs);
    }

    /// <summary>A gateway with one route <c>/{function}/{**rest}</c> to one function served by <paramref name="worker"/>.</summary>
    /// <param name="timeProvider">
    /// The gateway's clock (a <c>FakeTimeProvider</c> lets a test pass a timeout without waiting for it); the system's
    /// when null.
    /// </param>
    public static Task<TestGateway> ForWorkerAsync(
        TestWorker worker, string function = "echo", Action<GatewayConfiguration>? configure = null, TimeProvider? timeProvider = null) =>
        ForWorkerAsync(worker.Url, function, configure, timeProvider);

    /// <summary>The same, in front of a <see cref="ScriptedWorker"/>.</summary>
    public static Task<TestGateway> ForWorkerAsync(ScriptedWorker worker, string function = "echo", Action<GatewayConfiguration>? configure = null) =>
        ForWorkerAsync(worker.Url, function, configure, timeProvider: null);

    private static Task<TestGateway> ForWorkerAsync(string workerUrl, string function, Action<GatewayConfiguration>? configure, TimeProvider? timeProvider)
    {
        var config = new GatewayConfiguration().WithFunction(function, workerUrl);
        configure?.Invoke(config);
        return StartAsync(config.Values, timeProvider is null ? null : builder => builder.Services.AddSingleton(timeProvider));
    }

    /// <summary>
    /// Stops the gateway as SIGTERM does: Kestrel lets in-flight requests finish (their spans end, their access lines
    /// are written), then the telemetry providers flush. Disposing alone tears the container down under requests
    /// that may still be running.
    /// </summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}
