using FcWorker.Tests.TestHelpers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace FcWorker.Tests.RuntimeApi;

public sealed class RuntimeApiOutageTests
{
    private const int OutageBegan = 7;
    private const int OutageEnded = 8;
    private const int ReplyRefused = 9;

    [Fact]
    public async Task Next_FailsThreeTimes_RetriesWithBackoff_AndLogsTheOutageOnce()
    {
        var time = new FakeTimeProvider();
        await using var api = await FakeRuntimeApi.StartAsync();
        api.FailPoll(503);
        api.DropPoll();
        api.FailPoll(500);
        api.Enqueue("req-after", "");
        await using var worker = await PullingWorker.StartAsync(
            api, () => "after", new FunctionWorkerOptions { ConfigureBuilder = builder => builder.Services.AddSingleton<TimeProvider>(time) });

        // Each retry waits on the fake clock: the outcome only comes as the test moves it on.
        var outcome = api.NextOutcomeAsync();
        while (!outcome.IsCompleted)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            await Task.WhenAny(outcome, Task.Delay(10));
        }

        Assert.Equal(("req-after", "response"), ((await outcome).RequestId, (await outcome).Outcome));
        var entries = worker.Logs!.Entries;
        var began = Assert.Single(entries, e => e.EventId == OutageBegan);
        Assert.Equal(LogLevel.Warning, began.Level);
        Assert.Contains("HTTP 503", began.Message, StringComparison.Ordinal);
        var ended = Assert.Single(entries, e => e.EventId == OutageEnded);
        Assert.Contains("after 3 failed poll(s)", ended.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_RefusedWith4xx_LogsWarningAndGoesOn()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.RefuseNextPost(410);
        api.Enqueue("req-late", "");
        api.Enqueue("req-next", "");
        await using var worker = await PullingWorker.StartAsync(api, () => "ok");

        var refused = await api.NextOutcomeAsync();
        var next = await api.NextOutcomeAsync();

        Assert.Equal(["req-late", "req-next"], new[] { refused.RequestId, next.RequestId });
        var warning = Assert.Single(worker.Logs!.Entries, e => e.EventId == ReplyRefused);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("req-late", warning.Message, StringComparison.Ordinal);
        Assert.Contains("410", warning.Message, StringComparison.Ordinal);
    }
}
