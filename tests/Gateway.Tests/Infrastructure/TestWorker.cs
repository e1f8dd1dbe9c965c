using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A real function worker on Kestrel at 127.0.0.1:0 that records every request it receives and answers
/// with the handler the test gives it.
/// </summary>
public sealed class TestWorker : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestWorker(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public static async Task<TestWorker> StartAsync(Func<HttpContext, ReceivedRequest, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");

        // An event carries a 32 MB body base64-encoded, past Kestrel's 30,000,000-byte default.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        var app = builder.Build();
        TestWorker? worker = null;
        app.Run(async context =>
        {
            var received = await ReceivedRequest.ReadAsync(context.Request);
            worker!.Received.Enqueue(received);
            await handler(context, received);
        });
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        worker = new TestWorker(app, url);
        return worker;
    }

    /// <summary>A worker answering every invoke with <paramref name="output"/> as FC's runtime does on success.</summary>
    public static Task<TestWorker> ReturningAsync(string output) =>
        StartAsync((context, _) => Reply(context, 200, output, fcStatus: "200"));

    public static async Task Reply(HttpContext context, int status, string body, string? fcStatus)
    {
        context.Response.StatusCode = status;
        if (fcStatus is not null)
        {
            context.Response.Headers["x-fc-status"] = fcStatus;
        }

        await context.Response.WriteAsync(body);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
