using FcWorker.Tests.TestHelpers;

namespace FcWorker.Tests.RuntimeApi;

/// <summary>
/// The worker asks the runtime API to answer each reply with the next invocation (the gateway's extension,
/// <c>X-Gateway-Then-Next</c>); where it is not served, the worker polls <c>next</c> as before.
/// </summary>
public sealed class RuntimeApiThenNextTests
{
    [Fact]
    public async Task WhereRepliesAreAnsweredWithTheNext_TheWorkerPollsNextOnce()
    {
        await using var api = await FakeRuntimeApi.StartAsync(answersRepliesWithNext: true);
        foreach (var id in new[] { "req-1", "req-2", "req-3" })
        {
            api.Enqueue(id, id);
        }

        await using var worker = await PullingWorker.StartAsync(api, (string payload) => $"done {payload}", args: "--FC_INSTANCE_CONCURRENCY=1");
        var outcomes = new[] { await api.NextOutcomeAsync(), await api.NextOutcomeAsync(), await api.NextOutcomeAsync() };
        await Eventually.HoldsAsync(() => api.PollsWaiting == 1);

        Assert.Equal(["done req-1", "done req-2", "done req-3"], outcomes.Select(o => o.Text));
        Assert.All(outcomes, o => Assert.True(o.AskedForNext));
        Assert.Single(api.Requests, r => r.StartsWith("GET ", StringComparison.Ordinal));
        Assert.Equal(1, api.MostHeld);
    }

    [Fact]
    public async Task WhereRepliesAreOnlyAccepted_TheWorkerPollsNextAfterEach()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.Enqueue("req-1", "a");
        api.Enqueue("req-2", "b");

        await using var worker = await PullingWorker.StartAsync(api, (string payload) => payload.ToUpperInvariant(), args: "--FC_INSTANCE_CONCURRENCY=1");
        var outcomes = new[] { await api.NextOutcomeAsync(), await api.NextOutcomeAsync() };
        await Eventually.HoldsAsync(() => api.PollsWaiting == 1);

        Assert.Equal(["A", "B"], outcomes.Select(o => o.Text));
        Assert.All(outcomes, o => Assert.True(o.AskedForNext));
        Assert.Equal(3, api.Requests.Count(r => r.StartsWith("GET ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnOutputOfUnknownLength_IsPostedWithoutAskingForTheNext()
    {
        await using var api = await FakeRuntimeApi.StartAsync(answersRepliesWithNext: true);
        api.Enqueue("req-1", "");

        await using var worker = await PullingWorker.StartAsync(api, Stream () => new UnseekableStream([1, 2, 3]));
        var outcome = await api.NextOutcomeAsync();

        Assert.Equal(new byte[] { 1, 2, 3 }, outcome.Body);
        Assert.False(outcome.AskedForNext);
    }

    [Fact]
    public async Task Stop_AbandonsAReplyWaitingForTheNext()
    {
        await using var api = await FakeRuntimeApi.StartAsync(answersRepliesWithNext: true);
        api.Enqueue("req-1", "");
        var worker = await PullingWorker.StartAsync(api, () => "answered", args: "--FC_INSTANCE_CONCURRENCY=1");
        await using (worker)
        {
            var outcome = await api.NextOutcomeAsync();
            await Eventually.HoldsAsync(() => api.PollsWaiting == 1);

            await worker.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));

            await api.PollAbandoned.WaitAsync(TimeSpan.FromSeconds(15));
            Assert.Equal(("answered", true), (outcome.Text, outcome.AskedForNext));
            Assert.Equal(0, api.PollsWaiting);
        }
    }
}
