using FcWorker.RuntimeApi;
using FcWorker.Tests.TestHelpers;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FcWorker.Tests.RuntimeApi;

/// <summary>
/// A worker the gateway launched (<c>FCGATEWAY_LAUNCHED=1</c>) stops, as on SIGTERM, when a failed poll shows the gateway
/// gone: a refused connection, or <c>next</c> answered 404. Other failures, and every failure of a worker started by hand,
/// are retried with backoff. The bounds on the waits are failure conditions only.
/// </summary>
public sealed class LaunchedWorkerTests
{
    private const int OutageBegan = 7;
    private const int OutageEnded = 8;
    private const int GatewayGone = 11;
    private const string Launched = "--FCGATEWAY_LAUNCHED=1";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("http/1.1")]
    [InlineData("h2c")]
    public async Task Launched_RuntimeApiRefusesTheConnection_StopsByItself_WithOneWarning(string protocol)
    {
        using var gone = new RefusingAddress();
        await using var worker = await TestWorker.StartAsync(
            () => "unused", args: [$"--FC_RUNTIME_API={gone.Authority}", $"--FCGATEWAY_RUNTIME_API_PROTOCOL={protocol}", "--FC_INSTANCE_CONCURRENCY=3", Launched]);

        await worker.WaitForShutdownAsync().WaitAsync(Bound);

        var warning = Assert.Single(worker.Logs!.Entries, e => e.EventId == GatewayGone);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"{gone.Authority}/2020-11-11/runtime/invocation/ refuses the connection", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(worker.Logs.Entries, e => e.EventId == OutageBegan);
        Assert.True(worker.Services.GetRequiredService<LaunchingGateway>().IsGone);
    }

    /// <summary>
    /// A gateway now at the address that does not know this instance answers its polls 404. The stop is SIGTERM's: the
    /// call another loop runs then finishes and posts its outcome before the worker has stopped.
    /// </summary>
    [Fact]
    public async Task Launched_NextAnswered404_StopsByItself_AfterTheRunningCallFinishes()
    {
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue("req-running", "");
        await using var worker = await PullingWorker.StartAsync(
            api,
            async () =>
            {
                running.SetResult();
                await release.Task;
                return "finished";
            },
            args: ["--FC_INSTANCE_CONCURRENCY=2", Launched]);
        var stopping = worker.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        stopping.Register(stopRequested.SetResult);
        var shutdown = worker.WaitForShutdownAsync();
        await running.Task.WaitAsync(Bound);

        api.FailPoll(404);
        await stopRequested.Task.WaitAsync(Bound);
        Assert.False(shutdown.IsCompleted, "the worker stopped while a call still ran");
        release.SetResult();

        var outcome = await api.NextOutcomeAsync();
        await shutdown.WaitAsync(Bound);
        Assert.Equal(("req-running", "response", "finished"), (outcome.RequestId, outcome.Outcome, outcome.Text));
        var warning = Assert.Single(worker.Logs!.Entries, e => e.EventId == GatewayGone);
        Assert.Contains("answered next HTTP 404", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(worker.Logs.Entries, e => e.EventId == OutageBegan);
    }

    /// <summary>A dropped poll is no sign that the gateway is gone: the loop backs off, polls again, and serves the call.</summary>
    [Fact]
    public async Task Launched_PollDropped_ThenAnswered_KeepsRunning_AndServesTheCall()
    {
        var time = new WatchedTimeProvider();
        var backoff = time.NextTimerSet();
        await using var api = await FakeRuntimeApi.StartAsync();
        api.DropPoll();
        api.Enqueue("req-after", "");
        await using var worker = await PullingWorker.StartAsync(
            api, () => "after", new FunctionWorkerOptions { ConfigureBuilder = builder => builder.Services.AddSingleton<TimeProvider>(time) }, Launched);

        Assert.Equal(RetryBackoff.First, await backoff.WaitAsync(Bound));
        time.Advance(RetryBackoff.First);
        var outcome = await api.NextOutcomeAsync();

        Assert.Equal(("req-after", "response"), (outcome.RequestId, outcome.Outcome));
        Assert.False(worker.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Contains(worker.Logs!.Entries, e => e.EventId == OutageEnded && e.Message.Contains("after 1 failed poll(s)", StringComparison.Ordinal));
        Assert.DoesNotContain(worker.Logs.Entries, e => e.EventId == GatewayGone);
    }

    /// <summary>A worker started by hand keeps retrying a runtime API that refuses it, as it always did.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("0")]
    public async Task NotLaunched_RuntimeApiRefusesTheConnection_KeepsPollingAfterTheBackoff(string? launched)
    {
        var time = new WatchedTimeProvider();
        var firstBackoff = time.NextTimerSet();
        using var gone = new RefusingAddress();
        string[] args = launched is null ? [] : [$"--FCGATEWAY_LAUNCHED={launched}"];
        await using var worker = await TestWorker.StartAsync(
            () => "unused",
            new FunctionWorkerOptions { ConfigureBuilder = builder => builder.Services.AddSingleton<TimeProvider>(time) },
            args: [$"--FC_RUNTIME_API={gone.Authority}", .. args]);

        Assert.Equal(RetryBackoff.First, await firstBackoff.WaitAsync(Bound));
        var secondBackoff = time.NextTimerSet();
        time.Advance(RetryBackoff.First);

        Assert.Equal(RetryBackoff.First * 2, await secondBackoff.WaitAsync(Bound));
        Assert.False(worker.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        Assert.Single(worker.Logs!.Entries, e => e.EventId == OutageBegan);
        Assert.DoesNotContain(worker.Logs.Entries, e => e.EventId == GatewayGone);
    }

    [Fact]
    public async Task ALaunchedValueOtherThan1Or0_StopsStartUp()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(
            () => TestWorker.StartAsync(() => "unused", args: ["--FC_RUNTIME_API=127.0.0.1:9", "--FCGATEWAY_LAUNCHED=yes"]));

        Assert.Contains("FCGATEWAY_LAUNCHED must be 1 or 0; it is 'yes'.", failure.Message, StringComparison.Ordinal);
    }
}
