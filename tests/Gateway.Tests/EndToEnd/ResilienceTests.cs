using System.Net;
using FcGateway.Dispatch.Scheduling;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.EndToEnd;

public sealed class ResilienceTests
{
    [Fact]
    public async Task ClientGoneDuringInvocation_IsLoggedAs499_AndTheInstanceStaysTakenUntilItsWorkerAnswers()
    {
        var invoked = new TaskCompletionSource();
        var finish = new TaskCompletionSource();
        var running = 0;
        var mostAtOnce = 0;
        await using var worker = await TestWorker.StartAsync(async (context, received) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            invoked.TrySetResult();
            if (received.Event.GetProperty("rawPath").GetString() == "/echo/gone")
            {
                await finish.Task;
            }

            Interlocked.Decrement(ref running);
            await TestWorker.Reply(context, 200, "done", fcStatus: null);
        });
        var clientLeft = new ClientAbortWatch();
        await using var gateway = await TestGateway.StartAsync(
            new GatewayConfiguration().WithFunction("echo", worker.Url).Values, builder => builder.Services.AddSingleton<IStartupFilter>(clientLeft));
        var queue = gateway.Services.GetRequiredService<FunctionInstanceScheduler>().QueueOf("echo");

        await LeaveDuringTheInvocationAsync(gateway, clientLeft, invoked.Task);

        // The worker still runs the invocation its client left: the next one waits for it (InstanceConcurrency 1).
        var next = gateway.Client.GetAsync("/echo/next");
        await Eventually.HoldsAsync(() => queue.Queued == 1);
        finish.SetResult();

        Assert.Equal(HttpStatusCode.OK, (await next).StatusCode);
        Assert.Equal(1, Volatile.Read(ref mostAtOnce));
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("499 ClientClosedRequest"));
    }

    /// <summary>
    /// A client that left before its worker timed out: the request ends as the client's (499, event 12) and its access
    /// line names the function and the instance, as when the worker answers after the client left.
    /// </summary>
    [Fact]
    public async Task ClientGoneBeforeTheWorkerTimesOut_IsLoggedAs499_WithItsFunctionAndInstance()
    {
        var clock = new FakeTimeProvider();
        await using var worker = await HeldWorker.StartAsync();
        var clientLeft = new ClientAbortWatch();
        var config = new GatewayConfiguration().WithFunction("echo", worker.Url).Set("Gateway:Functions:echo:Timeout", "00:01:00");
        await using var gateway = await TestGateway.StartAsync(config.Values, builder =>
        {
            builder.Services.AddSingleton<IStartupFilter>(clientLeft);
            builder.Services.AddSingleton<TimeProvider>(clock);
        });

        await LeaveDuringTheInvocationAsync(gateway, clientLeft, worker.Invoked);
        clock.Advance(TimeSpan.FromMinutes(1));
        worker.Release();

        await Eventually.HoldsAsync(() => gateway.Logs.Contains("status=499"));
        Assert.True(gateway.Logs.Contains("the client went away before function echo had answered in full"));
        Assert.True(gateway.Logs.Contains("/echo/gone function=echo destination=d0 status=499 outcome=client_closed"));
    }

    /// <summary>Sends <c>GET /echo/gone</c> and gives up on it once its worker has it (<paramref name="invoked"/>), until the gateway sees it go.</summary>
    private static async Task LeaveDuringTheInvocationAsync(TestGateway gateway, ClientAbortWatch clientLeft, Task invoked)
    {
        using var clientGivesUp = new CancellationTokenSource();
        var call = gateway.Client.GetAsync("/echo/gone", clientGivesUp.Token);
        await invoked;
        await clientGivesUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await clientLeft.Seen.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    [Fact]
    public async Task PassiveHealth_TakesACrashingInstanceOutOfRotation()
    {
        // It answers health probes but breaks each invocation's connection: the invocation may have run, so it is a 502
        // and not sent again (a refused connection goes to the other instance at once, RefusedConnectionTests).
        await using var crashing = await TestWorker.StartAsync((context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        await using var alive = await TestWorker.ReturningAsync("alive");
        var config = new GatewayConfiguration().WithFunction("echo", crashing.Url, alive.Url)
            .Set("ReverseProxy:Clusters:echo:LoadBalancingPolicy", "RoundRobin")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Passive:Enabled", "true")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Passive:Policy", "TransportFailureRate")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Passive:ReactivationPeriod", "00:05:00");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add((await gateway.Client.GetAsync("/echo/")).StatusCode);
        }

        // The failure-rate policy needs 10 requests on the crashing instance; round robin gives it about half.
        Assert.Contains(HttpStatusCode.BadGateway, statuses);
        Assert.All(statuses.Skip(30), status => Assert.Equal(HttpStatusCode.OK, status));
    }

    [Fact]
    public async Task AllDestinationsDown_ActiveHealthChecksMakeIt503ResourceThrottled()
    {
        using var dead = new RefusingAddress();

        var config = new GatewayConfiguration().WithFunction("echo", dead.Url)
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Enabled", "true")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Interval", "00:00:01")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Timeout", "00:00:01")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Path", "/healthz")
            .Set("ReverseProxy:Clusters:echo:HealthCheck:Active:Policy", "ConsecutiveFailures")
            .Set("ReverseProxy:Clusters:echo:Metadata:ConsecutiveFailuresHealthPolicy.Threshold", "1");
        await using var gateway = await TestGateway.StartAsync(config.Values);

        await Eventually.HoldsAsync(async () => (await gateway.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable);
        var response = await gateway.Client.GetAsync("/echo/");

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.ServiceUnavailable, "ResourceThrottled");
    }
}
