using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FcWorker.Tests.TestHelpers;

/// <summary>A real worker on Kestrel at 127.0.0.1 with a free port, and a client to call it.</summary>
public sealed class TestWorker : IAsyncDisposable
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly FunctionWorkerHost _host;

    private TestWorker(FunctionWorkerHost host, CapturingLoggerProvider? logs)
    {
        _host = host;
        Logs = logs;
    }

    public Uri Url => _host.Url;

    public IServiceProvider Services => _host.Application.Services;

    /// <summary>The worker's log entries; null when the worker was started without logging.</summary>
    public CapturingLoggerProvider? Logs { get; }

    /// <summary>Starts a worker; <paramref name="withLogging"/> false leaves it without any logger provider.</summary>
    public static async Task<TestWorker> StartAsync(
        Delegate handler, FunctionWorkerOptions? options = null, bool withLogging = true, params string[] args)
    {
        options ??= new FunctionWorkerOptions();
        var logs = withLogging ? new CapturingLoggerProvider() : null;
        var configure = options.ConfigureBuilder;
        options.ConfigureBuilder = builder =>
        {
            builder.Logging.ClearProviders();
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
            }

            configure?.Invoke(builder);
        };

        var host = FunctionWorker.Create(["--urls", "http://127.0.0.1:0", .. args], handler, options);
        await host.StartAsync();
        return new TestWorker(host, logs);
    }

    public Task<HttpResponseMessage> InvokeAsync(string body, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Post, "/invoke", new StringContent(body), headers);

    public Task<HttpResponseMessage> InvokeAsync(byte[] body, params (string Name, string Value)[] headers) =>
        SendAsync(HttpMethod.Post, "/invoke", new ByteArrayContent(body), headers);

    public async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, HttpContent? content = null, (string Name, string Value)[]? headers = null,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, new Uri(Url, path)) { Content = content };
        if (content is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Client.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// Completes once the worker has stopped after something asked it to (<see cref="IHostApplicationLifetime.StopApplication"/>),
    /// as a host's <c>RunAsync</c> waits for that request and then stops it.
    /// </summary>
    public Task WaitForShutdownAsync() => _host.Application.WaitForShutdownAsync();

    /// <summary>Stops the worker as SIGTERM would, letting running invocations finish.</summary>
    public Task StopAsync() => _host.StopAsync();

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
