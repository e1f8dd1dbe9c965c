using System.Net;
using FcGateway.Dispatch.Push.Http1;
using FcGateway.Edge.Requests;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Invocation;

/// <summary>
/// An event invocation as the gateway stops, over its own HTTP/1.1 client (no body) and over the cluster's HttpClient (a
/// body of WorkerConnections.MaxPayloadBytes): the client gets the same clean answer either way, and the stop ends.
/// </summary>
public sealed class InvocationAtShutdownOverBothClientsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    public static TheoryData<int> EventBytes => [0, WorkerConnections.MaxPayloadBytes];

    [Theory]
    [MemberData(nameof(EventBytes))]
    public async Task DrainEnding_WhileTheWorkerHoldsItsReply_Answers503_AndTheStopEnds(int eventBytes)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var invoked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            invoked.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: LongDrain, timeProvider: clock);

        var call = InvokeAsync(gateway, eventBytes);
        await invoked.Task.WaitAsync(Bound);
        var drain = gateway.Services.GetRequiredService<RequestDrain>();
        var stopping = gateway.StopAsync();
        await Eventually.HoldsAsync(() =>
        {
            clock.Advance(drain.Time);
            return drain.Ended.IsCancellationRequested;
        }, Bound);
        using var response = await call.WaitAsync(Bound);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.ServiceUnavailable, "ResourceThrottled");
        await stopping.WaitAsync(Bound);
    }

    /// <summary>
    /// An invocation that reaches the worker call once the gateway's own client is disposed (it goes with the services as
    /// the host stops; the cluster's HttpClient, not disposed then, would still carry it): the client is told the gateway
    /// is stopping, as one the drain gave up on, not answered 500 as a fault of the gateway's.
    /// </summary>
    [Fact]
    public async Task AnInvocation_ReachingTheOwnClientOnceDisposed_Answers503TheGatewayIsStopping()
    {
        await using var worker = await TestWorker.ReturningAsync("hello");
        await using var gateway = await TestGateway.ForWorkerAsync(worker);
        gateway.Services.GetRequiredService<WorkerConnections>().Dispose();

        using var response = await InvokeAsync(gateway, eventBytes: 0);

        await ErrorPathTests.AssertGatewayErrorAsync(response, HttpStatusCode.ServiceUnavailable, "ResourceThrottled");
        Assert.Contains("The gateway is stopping", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("outcome=no_instance"));
        Assert.DoesNotContain(gateway.Logs.Lines, line => line.Contains(nameof(ObjectDisposedException), StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> InvokeAsync(TestGateway gateway, int eventBytes) =>
        eventBytes == 0 ? gateway.Client.GetAsync("/echo/") : gateway.Client.PostAsync("/echo/", new ByteArrayContent(new byte[eventBytes]));

    private static void LongDrain(GatewayConfiguration config) => config
        .Set("Gateway:DrainTimeout", "00:02:00")
        .Set("Gateway:Functions:echo:Timeout", "01:00:00");
}
