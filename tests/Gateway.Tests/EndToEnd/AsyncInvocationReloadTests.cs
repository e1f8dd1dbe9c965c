using FcGateway.Buffers;
using FcGateway.Configuration;
using FcGateway.Dispatch;
using FcGateway.Edge.InvokeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Model;
using static Gateway.Tests.EndToEnd.AsyncInvokeApi;

namespace Gateway.Tests.EndToEnd;

/// <summary>An asynchronous invocation whose function a reload removes is given up, counting only the attempts that ran.</summary>
public sealed class AsyncInvocationReloadTests
{
    private const int FailedEventId = 92;

    /// <summary>The attempt a reload's removal of the function prevents never ran: it is not counted among the attempts.</summary>
    [Fact]
    public async Task Async_WaitingForARetryWhenAReloadRemovesTheFunction_IsGivenUp_CountingTheAttemptsThatRan()
    {
        await using var worker = await FunctionErrorOnceWorkerAsync();
        var time = new WatchedTimeProvider();
        var editable = new EditableConfiguration(new GatewayConfiguration().WithFunction("echo", worker.Url).WithFunction("other", worker.Url).Values);
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Services.AddSingleton<TimeProvider>(time);
        });

        var requestId = await AcceptedAsync(gateway);
        await time.TimerSet(AsyncRetryPolicy.FirstRetryDelay);
        editable.Remove("ReverseProxy:Routes:echo", "ReverseProxy:Clusters:echo");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        time.Advance(AsyncRetryPolicy.FirstRetryDelay);
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);

        Assert.True(gateway.Logs.Contains($"Asynchronous invocation {requestId} of function echo failed after 1 attempt(s): not_found (The function is no longer configured.)."));
        Assert.Single(worker.Received);
    }

    /// <summary>
    /// An invocation accepted just before the reload that removes its function takes effect (the endpoint found the
    /// function, the first attempt no longer does) never ran: the line says so, not "failed after 0 attempt(s)".
    /// </summary>
    [Fact]
    public async Task Async_WhoseFunctionAReloadRemovesBeforeItsFirstAttempt_IsLoggedAsNeverRun()
    {
        await using var worker = await TestWorker.ReturningAsync("ok");
        var editable = new EditableConfiguration(new GatewayConfiguration().WithFunction("echo", worker.Url).WithFunction("other", worker.Url).Values);
        var logs = new ScopedLogs();
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?>(), builder =>
        {
            ((IConfigurationBuilder)builder.Configuration).Add(editable);
            builder.Logging.AddProvider(logs);
        });
        var settings = gateway.Services.GetRequiredService<GatewaySettingsMonitor>().Current;
        var cluster = gateway.Services.GetRequiredService<FunctionDirectory>().FindCluster("echo", settings);
        var target = new FunctionTarget("echo", settings, Assert.IsType<ClusterState>(cluster));

        editable.Remove("ReverseProxy:Routes:echo", "ReverseProxy:Clusters:echo");
        await Eventually.HoldsAsync(() => gateway.Logs.Contains("is now in force"));
        var payload = new PooledBuffer();
        payload.Write([7]);
        Assert.Equal(AsyncAcceptance.Accepted, gateway.Services.GetRequiredService<AsyncInvocations>().TryAccept("1-removed-before-it-ran", target, payload, maxPending: 10));
        await Eventually.HoldsAsync(() => PendingOf(gateway) == 0);

        var line = Assert.Single(gateway.Logs.Lines, line => line.Contains("1-removed-before-it-ran", StringComparison.Ordinal));
        Assert.Equal(
            "Error FcGateway.Edge.InvokeApi.AsyncInvocations: Asynchronous invocation 1-removed-before-it-ran of function echo never ran: a reload removed the function before its first attempt.",
            line);
        Assert.Equal(FailedEventId, Assert.Single(logs.Entries, entry => entry.Message == line[(line.IndexOf(": ", StringComparison.Ordinal) + 2)..]).EventId.Id);
        Assert.Empty(worker.Received);
    }
}
