using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Attacks;

/// <summary>
/// A worker that dies with invocations in flight — its connections reset, its port closed — must cost those
/// invocations a function error with a request id, never a hang or a 500; once a worker listens on the port
/// again, the function is served again.
/// </summary>
public sealed class WorkerCrashAttackTests
{
    private const int InFlight = 5;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WorkerKilledUnderLoad_InFlightGet502Or503WithRequestId_RestartedWorkerServesAgain()
    {
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dying = await TestWorker.StartAsync(async (context, _) =>
        {
            await killed.Task;
            context.Abort();
        });
        var workerUrl = dying.Url;
        await using var gateway = await TestGateway.ForWorkerAsync(dying, configure: c => c
            .Set("Gateway:Functions:echo:InstanceConcurrency", InFlight.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var connections = await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => RawConnection.OpenAsync(gateway.Url)));
        try
        {
            await Task.WhenAll(connections.Select(c => c.SendAsync("GET /echo/ HTTP/1.1\r\nHost: a\r\n\r\n")));
            var inFlight = connections.Select(c => c.ReadResponseAsync()).ToArray();
            await Eventually.HoldsAsync(() => dying.Received.Count == InFlight);

            killed.SetResult();
            await dying.DisposeAsync().AsTask().WaitAsync(Bound);
            var failed = await Task.WhenAll(inFlight).WaitAsync(Bound);
            var whileDown = await RawHttp.SendAsync(gateway.Url, "GET /echo/ HTTP/1.1\nHost: a\n\n").WaitAsync(Bound);
            await using var restarted = await TestWorker.StartAsync((context, _) => TestWorker.Reply(context, 200, "back", fcStatus: "200"), workerUrl);
            var afterRestart = await RawHttp.SendAsync(gateway.Url, "GET /echo/ HTTP/1.1\nHost: a\n\n").WaitAsync(Bound);

            Assert.All(failed, response =>
            {
                Assert.NotNull(response);
                AssertFunctionUnavailable(response);
            });
            AssertFunctionUnavailable(whileDown);
            Assert.Equal(200, afterRestart.StatusCode);
            Assert.Equal("back", afterRestart.Body);
            Assert.Single(restarted.Received);
        }
        finally
        {
            killed.TrySetResult();
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    private static void AssertFunctionUnavailable(RawResponse response)
    {
        Assert.True(response.StatusCode is 502 or 503, $"expected 502 or 503, got {response.StatusCode}");
        Assert.NotNull(response.Header("X-Fc-Request-Id"));
    }
}
