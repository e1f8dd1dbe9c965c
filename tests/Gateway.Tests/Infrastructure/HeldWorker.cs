namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A worker that holds each invocation until the test releases it, then replies as it was told (unless the gateway gave
/// up on the call first): for timeouts, and clients that leave, on a fake clock.
/// </summary>
public sealed class HeldWorker : IAsyncDisposable
{
    private readonly TaskCompletionSource _invoked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new();

    private HeldWorker(TestWorker worker) => Worker = worker;

    public TestWorker Worker { get; }

    public string Url => Worker.Url;

    /// <summary>Completes once an invocation has reached the worker.</summary>
    public Task Invoked => _invoked.Task;

    /// <param name="status">The reply's status once released.</param>
    /// <param name="body">Its body.</param>
    /// <param name="fcStatus">Its <c>x-fc-status</c>, if any.</param>
    public static async Task<HeldWorker> StartAsync(int status = 200, string body = "late", string? fcStatus = "200")
    {
        HeldWorker? held = null;
        var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            held!._invoked.TrySetResult();
            await held._released.Task.WaitAsync(context.RequestAborted);
            await TestWorker.Reply(context, status, body, fcStatus);
        });
        held = new HeldWorker(worker);
        return held;
    }

    /// <summary>Lets the invocations held reply.</summary>
    public void Release() => _released.TrySetResult();

    public ValueTask DisposeAsync() => Worker.DisposeAsync();
}
