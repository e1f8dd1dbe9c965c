using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Registered as an <see cref="IStartupFilter"/>, completes <see cref="Seen"/> once the gateway has seen a client go away
/// (its request's <c>RequestAborted</c>), ahead of anything of the gateway's own.
/// </summary>
public sealed class ClientAbortWatch : IStartupFilter
{
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Seen => _seen.Task;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, following) =>
        {
            context.RequestAborted.Register(() => _seen.TrySetResult());
            return following(context);
        });
        next(app);
    };
}
