using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A worker that pulls its invocations from the gateway's runtime API as fc-runtime-go-sdk does (wire contract §13):
/// it asks for the next invocation as soon as it has one, runs each on its own, and posts the handler's output to
/// <c>response</c> or, when the handler throws, the error document to <c>error</c>.
/// </summary>
public sealed class PullingWorker : IAsyncDisposable
{
    private readonly HttpClient _client = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<PulledRequest, Task<byte[]>> _handler;
    private readonly Task _loop;
    private readonly ConcurrentBag<Task> _running = [];

    private PullingWorker(string runtimeApi, Func<PulledRequest, Task<byte[]>> handler)
    {
        BaseAddress = $"http://{runtimeApi}/2020-11-11/runtime/invocation/";
        _handler = handler;
        _loop = Task.Run(PollAsync);
    }

    public string BaseAddress { get; }

    /// <summary>Every invocation the worker received, in order.</summary>
    public ConcurrentQueue<PulledRequest> Received { get; } = new();

    /// <summary>Starts polling <c>FC_RUNTIME_API=</c><paramref name="runtimeApi"/> (<c>host:port/functions/name</c>).</summary>
    public static PullingWorker Start(string runtimeApi, Func<PulledRequest, Task<byte[]>> handler) => new(runtimeApi, handler);

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            PulledRequest request;
            try
            {
                using var next = await _client.GetAsync(BaseAddress + "next", _stop.Token);
                request = new PulledRequest(
                    next.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value)),
                    await next.Content.ReadAsByteArrayAsync(_stop.Token));
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            Received.Enqueue(request);
            _running.Add(Task.Run(() => RunAsync(request)));
        }
    }

    private async Task RunAsync(PulledRequest request)
    {
        var id = request.Headers["x-fc-request-id"];
        HttpContent content;
        string path;
        try
        {
            content = new ByteArrayContent(await _handler(request));
            path = $"{id}/response";
        }
        catch (Exception ex)
        {
            content = new StringContent($$"""{"errorMessage":"{{ex.Message}}","errorType":"{{ex.GetType().Name}}"}""");
            path = $"{id}/error";
        }

        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var reply = await _client.PostAsync(BaseAddress + path, content, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await Task.WhenAll(_running);
        _client.Dispose();
        _stop.Dispose();
    }
}

/// <summary>An invocation as a pulling worker receives it: the <c>next</c> answer's headers (lower-case names) and body.</summary>
public sealed record PulledRequest(IReadOnlyDictionary<string, string> Headers, byte[] Body);
