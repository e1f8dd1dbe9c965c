using System.Collections.Concurrent;
using FcGateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A real function worker on Kestrel at 127.0.0.1:0 that records every request it receives and answers
/// with the handler the test gives it. Like the SDK's workers it answers the gateway's health probes
/// (<c>GET /healthz</c>) itself with 200, neither recording them nor handing them to the handler.
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

    /// <param name="handler">Answers every request.</param>
    /// <param name="listenUrl">Where to listen; a free port by default, a stopped worker's address to restart it.</param>
    public static async Task<TestWorker> StartAsync(Func<HttpContext, ReceivedRequest, Task> handler, string listenUrl = "http://127.0.0.1:0")
    {
        TestWorker? worker = null;
        var (app, url) = await LoopbackServer.StartAsync(async context =>
        {
            if (IsHealthProbe(context.Request))
            {
                return;
            }

            var received = await ReceivedRequest.ReadAsync(context.Request);
            worker!.Received.Enqueue(received);
            await handler(context, received);
        }, url: listenUrl);
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

    /// <summary>The gateway's active health probe, which a worker of the test's own answers 200 without looking further.</summary>
    public static bool IsHealthProbe(HttpRequest request) => HttpMethods.IsGet(request.Method) && request.Path == FunctionClusterHealthDefaults.ProbePath;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
