using System.Net;
using FcGateway.Edge.Requests;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.EndToEnd;

/// <summary>
/// Web functions at shutdown: once the drain ends (a little before <c>DrainTimeout</c>, when Kestrel cuts every
/// connection it still has), a web request still waiting for its worker's answer is answered 503 ResourceThrottled with
/// its request id, as an event-mode one is, and one whose response is streaming is cut and logged as the gateway's doing,
/// not as a client that left.
/// </summary>
public sealed class WebTriggerDrainTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task DrainEnding_BeforeTheWorkerAnswered_Answers503WithTheRequestId()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var invoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var workerSawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            invoked.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => workerSawAbort.TrySetResult(), TaskScheduler.Default);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: Web, timeProvider: clock);

        var call = gateway.Client.GetAsync("/echo/");
        await invoked.Task.WaitAsync(Bound);
        var stopping = await EndTheDrainAsync(gateway, clock);
        var response = await call.WaitAsync(Bound);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.ServiceUnavailable, "ResourceThrottled");
        Assert.Contains("The gateway is stopping", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(response.Headers.GetValues("X-Fc-Request-Id"));
        await workerSawAbort.Task.WaitAsync(Bound);
        await stopping.WaitAsync(Bound);
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("outcome=no_instance", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("outcome=client_closed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DrainEnding_WhileTheResponseStreams_CutsIt_AndLogsTheGatewayStopping_NotTheClientLeaving()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            context.Response.ContentLength = 100;
            await context.Response.Body.WriteAsync("hello"u8.ToArray());
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: Web, timeProvider: clock);

        using var response = await gateway.Client.GetAsync("/echo/", HttpCompletionOption.ResponseHeadersRead);
        var stopping = await EndTheDrainAsync(gateway, clock);
        var cut = await Record.ExceptionAsync(() => response.Content.ReadAsByteArrayAsync().WaitAsync(Bound));

        Assert.True(cut is HttpRequestException or IOException, $"The body ended without an error: {cut}");
        await stopping.WaitAsync(Bound);
        Assert.Contains(gateway.Logs.Lines, line => line.Contains("outcome=no_instance", StringComparison.Ordinal)
            && line.Contains(" bytesOut=5 ", StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains("outcome=client_closed", StringComparison.Ordinal));
    }

    /// <summary>Starts stopping the gateway and moves its clock to the drain's end; returns the stop, still running.</summary>
    private static async Task<Task> EndTheDrainAsync(TestGateway gateway, FakeTimeProvider clock)
    {
        var drain = gateway.Services.GetRequiredService<RequestDrain>();
        var stopping = gateway.StopAsync();
        await Eventually.HoldsAsync(() =>
        {
            clock.Advance(drain.Time);
            return drain.Ended.IsCancellationRequested;
        }, Bound);
        return stopping;
    }

    private static void Web(GatewayConfiguration config) => config
        .Set("ReverseProxy:Routes:echo:Metadata:TriggerMode", "web")
        .Set("Gateway:DrainTimeout", "00:02:00")
        .Set("Gateway:Functions:echo:Timeout", "01:00:00");
}
