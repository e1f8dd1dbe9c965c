using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Runs each request's pipeline from a thread that is not the thread pool's, its body read in full beforehand, as a
/// thread that polls sockets runs it when the gateway's process has inline socket completions: what the gateway does
/// before its first wait for I/O then runs on that thread, and whatever it moves to the thread pool does not. It records,
/// for each response, whether it started on a thread-pool thread.
/// </summary>
internal sealed class RequestsOnThreadsOfTheirOwn : IStartupFilter
{
    /// <summary>Whether each response started (its head was sent) on a thread-pool thread, in order.</summary>
    public ConcurrentQueue<bool> ResponsesStartedOnThePool { get; } = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, pipeline) =>
        {
            context.Request.EnableBuffering(bufferThreshold: 64 * 1024 * 1024);
            await context.Request.Body.CopyToAsync(Stream.Null);
            context.Request.Body.Position = 0;
            context.Response.OnStarting(() =>
            {
                ResponsesStartedOnThePool.Enqueue(Thread.CurrentThread.IsThreadPoolThread);
                return Task.CompletedTask;
            });
            await Task.Factory.StartNew(() => pipeline(context), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        });
        next(app);
    };
}
