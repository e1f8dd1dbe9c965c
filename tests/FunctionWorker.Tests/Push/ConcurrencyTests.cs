using System.Net;
using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.Push;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Invoke_WhileOnlySlotIsBusy_Returns429ThenAcceptsAfterRelease()
    {
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (string @event) =>
        {
            if (@event == "hold")
            {
                started.SetResult();
                await release.Task;
            }

            return @event;
        });

        var held = worker.InvokeAsync("hold");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var refused = await worker.InvokeAsync("second");
        release.SetResult();
        using var first = await held;
        using var third = await worker.InvokeAsync("third");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var error = await FcReply.ReadJsonAsync(refused);
        Assert.Equal("ConcurrencyLimitExceeded", error.GetProperty("errorType").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("errorMessage").GetString()));
        Assert.Equal("hold", await FcReply.AssertSuccessAsync(first));
        Assert.Equal("third", await FcReply.AssertSuccessAsync(third));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Invoke_ConcurrencyOfTwo_RunsTwoAndRefusesThird(bool fromConfiguration)
    {
        var running = 0;
        var bothStarted = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var options = new FunctionWorkerOptions { MaxConcurrentInvocations = fromConfiguration ? 1 : 2 };
        string[] args = fromConfiguration ? ["--FC_INSTANCE_CONCURRENCY=2"] : [];
        await using var worker = await TestWorker.StartAsync(async () =>
        {
            if (Interlocked.Increment(ref running) == 2)
            {
                bothStarted.SetResult();
            }

            await release.Task;
        }, options, args: args);

        var calls = new[] { worker.InvokeAsync(""), worker.InvokeAsync("") };
        await bothStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var refused = await worker.InvokeAsync("");
        release.SetResult();

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        foreach (var call in calls)
        {
            using var response = await call;
            await FcReply.AssertSuccessAsync(response);
        }
    }
}
