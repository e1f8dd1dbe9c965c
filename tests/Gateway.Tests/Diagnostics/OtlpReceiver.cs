using System.Collections.Concurrent;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Gateway.Tests.Diagnostics;

/// <summary>
/// A minimal OTLP/HTTP receiver on 127.0.0.1: keeps the raw protobuf body of every <c>POST /v1/traces</c>,
/// <c>/v1/metrics</c> and <c>/v1/logs</c> and answers 200, as a collector does.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OtlpReceiver(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    public string Url { get; }

    public ConcurrentQueue<(string Path, byte[] Body)> Received { get; } = new();

    public static async Task<OtlpReceiver> StartAsync()
    {
        OtlpReceiver? receiver = null;
        var (app, url) = await LoopbackServer.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver!.Received.Enqueue((context.Request.Path.Value ?? "", body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        receiver = new OtlpReceiver(app, url);
        return receiver;
    }

    /// <summary>Whether some payload posted to <paramref name="path"/> contains <paramref name="text"/> as UTF-8 (how protobuf stores strings).</summary>
    public bool Contains(string path, string text)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes(text);
        return Received.Any(r => r.Path == path && r.Body.AsSpan().IndexOf(needle) >= 0);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
