using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace Gateway.Tests.Attacks;

/// <summary>
/// Clients that try to exhaust the gateway — a burst past a function's capacity, a client that trickles its
/// request head — must be refused quickly and cleanly while the gateway keeps serving everyone else.
/// </summary>
public sealed partial class OverloadAttackTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task FiftyConcurrentRequests_BeyondCapacityAndQueue_Get429WithRequestId_TheRestSucceedOnRelease()
    {
        const int Clients = 50;
        const int Admitted = 1 + 4;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            await release.Task;
            await TestWorker.Reply(context, 200, "done", fcStatus: "200");
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c
            .Set("Gateway:Functions:echo:InstanceConcurrency", "1")
            .Set("Gateway:Functions:echo:MaxQueueLength", "4"));
        var connections = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => RawConnection.OpenAsync(gateway.Url)));
        try
        {
            await Task.WhenAll(connections.Select(c => c.SendAsync("GET /echo/ HTTP/1.1\r\nHost: a\r\n\r\n")));
            var responses = connections.Select(c => c.ReadResponseAsync()).ToArray();

            await Eventually.HoldsAsync(() => responses.Count(r => r.IsCompleted) == Clients - Admitted);
            var refused = responses.Where(r => r.IsCompleted).Select(r => r.Result).ToList();
            await Eventually.HoldsAsync(() => worker.Received.Count == 1);
            release.SetResult();
            var all = await Task.WhenAll(responses).WaitAsync(Bound);

            Assert.All(refused, response =>
            {
                Assert.NotNull(response);
                Assert.Equal(429, response.StatusCode);
                Assert.Contains("\"errorCode\":\"ResourceExhausted\"", response.Body, StringComparison.Ordinal);
                Assert.Matches(RequestIdPattern(), response.Header("X-Fc-Request-Id") ?? "");
            });
            Assert.Equal(Admitted, all.Count(r => r is { StatusCode: 200, Body: "done" }));
            Assert.Equal(Admitted, worker.Received.Count);
        }
        finally
        {
            release.TrySetResult();
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    /// <remarks>
    /// The timeout is set in code: ASP.NET Core does not bind <c>Kestrel:Limits</c> from configuration
    /// (dotnet/aspnetcore#4765). Only an upper bound is asserted, never how long the cut-off took.
    /// </remarks>
    [Fact]
    public async Task SlowRequestHead_IsCutOffByTheHeadersTimeout_WhileOthersAreServed()
    {
        await using var worker = await TestWorker.ReturningAsync("""{"statusCode":200,"body":"served"}""");
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url);
        await using var gateway = await TestGateway.StartAsync(config.Values, builder =>
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(1)));
        await using var slow = await RawConnection.OpenAsync(gateway.Url);
        using var stopTrickling = new CancellationTokenSource();

        var trickle = TrickleAsync(slow, "GET /echo/slow HTTP/1.1\r\nHost: a\r\nX-Padding: " + new string('p', 200) + "\r\n\r\n", stopTrickling.Token);
        var served = await gateway.Client.GetStringAsync("/echo/other").WaitAsync(Bound);
        var cutOff = await slow.ReadResponseAsync().WaitAsync(Bound);
        await stopTrickling.CancelAsync();
        await trickle;

        Assert.Equal("served", served);
        Assert.True(cutOff is null || cutOff.StatusCode == 408, $"expected 408 or a closed connection, got {cutOff?.StatusCode}");
        Assert.True(cutOff is null || RequestIdPattern().IsMatch(cutOff.Header("X-Fc-Request-Id") ?? ""), "a 408 carries the request id");
        Assert.True(await slow.IsClosedByServerAsync().WaitAsync(Bound));
        var received = Assert.Single(worker.Received);
        Assert.Equal("/echo/other", received.Event.GetProperty("rawPath").GetString());
    }

    /// <summary>Sends <paramref name="head"/> one byte every 50 ms until it is sent, the server closes, or the test stops it.</summary>
    private static async Task TrickleAsync(RawConnection connection, string head, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var character in head)
            {
                await connection.SendAsync(character.ToString());
                await Task.Delay(50, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
        }
    }

    [GeneratedRegex("^1-[0-9a-f]{8}-[0-9a-f]{24}$")]
    private static partial Regex RequestIdPattern();
}
