using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace FcWorker.Tests.TestHelpers;

/// <summary>
/// A scripted FC runtime API on Kestrel at 127.0.0.1 with a free port, under a path prefix. <c>GET next</c> is a real
/// long poll: it waits for the next scripted answer (an invocation, an error status, or a dropped connection), and a
/// worker that gives up on it frees it. Every post to <c>{id}/response</c> or <c>{id}/error</c> is recorded.
/// </summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    private const string InvocationPath = "/2020-11-11/runtime/invocation/";

    private readonly WebApplication _app;
    private readonly string _prefix;
    private readonly Channel<Func<HttpContext, Task>> _pollAnswers = Channel.CreateUnbounded<Func<HttpContext, Task>>();
    private readonly Channel<PostedOutcome> _outcomes = Channel.CreateUnbounded<PostedOutcome>();
    private readonly ConcurrentQueue<int> _postStatuses = new();
    private readonly TaskCompletionSource _pollAbandoned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pollsWaiting;
    private int _held;
    private int _mostHeld;

    private FakeRuntimeApi(WebApplication app, string prefix)
    {
        _app = app;
        _prefix = prefix;
    }

    /// <summary>The value for <c>FC_RUNTIME_API</c>: <c>127.0.0.1:{port}{prefix}</c>.</summary>
    public string Address => new Uri(_app.Urls.First()).Authority + _prefix;

    /// <summary>Every request as <c>METHOD path</c>, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>The protocol of every request (<c>HTTP/1.1</c>, <c>HTTP/2</c>), in arrival order.</summary>
    public ConcurrentQueue<string> Protocols { get; } = new();

    public int PollsWaiting => Volatile.Read(ref _pollsWaiting);

    /// <summary>The most polls waiting plus invocations handed out and not yet answered there ever were at once.</summary>
    public int MostHeld => Volatile.Read(ref _mostHeld);

    /// <summary>Completes when the worker first gives up a poll that was still waiting.</summary>
    public Task PollAbandoned => _pollAbandoned.Task;

    /// <param name="prefix">The path the runtime API is served under.</param>
    /// <param name="http2Only">Speak only cleartext HTTP/2 (prior knowledge), so that an HTTP/1.1 request fails.</param>
    public static async Task<FakeRuntimeApi> StartAsync(string prefix = "/functions/echo", bool http2Only = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (http2Only)
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listener => listener.Protocols = HttpProtocols.Http2));
        }

        var app = builder.Build();
        var api = new FakeRuntimeApi(app, prefix);
        app.Run(api.HandleAsync);
        await app.StartAsync();
        return api;
    }

    /// <summary>Queues an invocation for a poll, with the headers a runtime API always sends unless <paramref name="headers"/> replace them.</summary>
    public void Enqueue(string requestId, string payload, params (string Name, string Value)[] headers) =>
        Answer(async http =>
        {
            var response = http.Response;
            response.Headers["x-fc-request-id"] = requestId;
            response.Headers["x-fc-function-timeout"] = "60";
            response.Headers["x-fc-function-deadline"] = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            foreach (var (name, value) in headers)
            {
                response.Headers[name] = value;
            }

            // With its length, as the gateway's runtime API answers (the worker sizes its reads by it).
            response.ContentType = "application/octet-stream";
            response.ContentLength = Encoding.UTF8.GetByteCount(payload);
            await response.WriteAsync(payload);
        });

    /// <summary>Answers one poll with an error status and no invocation.</summary>
    public void FailPoll(int statusCode) => Answer(http =>
    {
        http.Response.StatusCode = statusCode;
        return Task.CompletedTask;
    });

    /// <summary>Drops the connection of one poll without answering.</summary>
    public void DropPoll() => Answer(http =>
    {
        http.Abort();
        return Task.CompletedTask;
    });

    /// <summary>Answers the next post of an outcome with <paramref name="statusCode"/> instead of 200 (it is recorded all the same).</summary>
    public void RefuseNextPost(int statusCode) => _postStatuses.Enqueue(statusCode);

    public async Task<PostedOutcome> NextOutcomeAsync() =>
        await _outcomes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15));

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private void Answer(Func<HttpContext, Task> answer)
    {
        if (!_pollAnswers.Writer.TryWrite(answer))
        {
            throw new InvalidOperationException("The fake runtime API takes no more answers.");
        }
    }

    private Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var path = request.Path.Value ?? "";
        Requests.Enqueue($"{request.Method} {path}");
        Protocols.Enqueue(request.Protocol);
        var rest = path.StartsWith(_prefix + InvocationPath, StringComparison.Ordinal) ? path[(_prefix.Length + InvocationPath.Length)..] : null;
        if (rest == "next" && HttpMethods.IsGet(request.Method))
        {
            return PollAsync(http);
        }

        if (rest?.Split('/') is [var requestId, var outcome] && outcome is "response" or "error" && HttpMethods.IsPost(request.Method))
        {
            return RecordAsync(http, requestId, outcome);
        }

        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private async Task PollAsync(HttpContext http)
    {
        Interlocked.Increment(ref _pollsWaiting);
        Hold();
        Func<HttpContext, Task> answer;
        try
        {
            answer = await _pollAnswers.Reader.ReadAsync(http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            Interlocked.Decrement(ref _pollsWaiting);
            Interlocked.Decrement(ref _held);
            _pollAbandoned.TrySetResult();
            return;
        }

        Interlocked.Decrement(ref _pollsWaiting);
        await answer(http);
        if (http.Response.StatusCode != StatusCodes.Status200OK || http.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Decrement(ref _held);
        }
    }

    private async Task RecordAsync(HttpContext http, string requestId, string outcome)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        Interlocked.Decrement(ref _held);
        await _outcomes.Writer.WriteAsync(new PostedOutcome(
            http.Request.Path.Value!, requestId, outcome, http.Request.ContentType, body.ToArray(), http.Request.Headers.TraceParent));
        http.Response.StatusCode = _postStatuses.TryDequeue(out var status) ? status : StatusCodes.Status200OK;
    }

    private void Hold()
    {
        var held = Interlocked.Increment(ref _held);
        var most = Volatile.Read(ref _mostHeld);
        while (held > most && Interlocked.CompareExchange(ref _mostHeld, held, most) != most)
        {
            most = Volatile.Read(ref _mostHeld);
        }
    }
}

/// <summary>One post of a call's outcome to the runtime API.</summary>
public sealed record PostedOutcome(string Path, string RequestId, string Outcome, string? ContentType, byte[] Body, string? TraceParent)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}
