using System.Diagnostics.Metrics;
using System.Net;
using FcGateway.Dispatch.Pull;
using FcGateway.Edge.InvokeApi;
using Gateway.Tests.EndToEnd;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.RuntimeApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WireMock.RequestBuilders;

namespace Gateway.Tests.Diagnostics;

public sealed class GatewayMetricsTests
{
    [Fact]
    public async Task KnownSequence_GivesExactCountsByFunctionOutcomeAndErrorType()
    {
        using var worker = new ScriptedWorker();
        worker.Given(Request.Create().WithHeader("x-fc-function-name", "fails")).RespondWith(ScriptedWorker.FunctionError("{\"errorMessage\":\"boom\"}"));
        worker.Given(Request.Create().WithHeader("x-fc-function-name", "echo")).RespondWith(ScriptedWorker.Output("hello"));
        var config = InvocationSpanTests.ClusterWithoutDestinations("empty").WithFunction("echo", worker.Url).WithFunction("fails", worker.Url);
        await using var gateway = await TestGateway.StartAsync(config.Values);
        using var measurements = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());

        for (var i = 0; i < 3; i++)
        {
            using var ok = await gateway.Client.PostAsync("/echo/", new StringContent("12345"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var failed = await gateway.Client.GetAsync("/fails/");
        using var throttled = await gateway.Client.GetAsync("/empty/");
        await Eventually.HoldsAsync(() => measurements.Of("faas.invocations").Count == 5);

        var invocations = measurements.Of("faas.invocations");
        Assert.Equal(3, Count(invocations, "echo", "fcgateway.outcome", "success"));
        Assert.Equal(1, Count(invocations, "fails", "fcgateway.outcome", "function_error"));
        Assert.Equal(1, Count(invocations, "empty", "fcgateway.outcome", "no_instance"));
        Assert.All(invocations, m => Assert.True(m.Has("faas.trigger", "http")));

        var errors = measurements.Of("faas.errors");
        Assert.Equal(2, errors.Count);
        Assert.Equal(1, Count(errors, "fails", "error.type", "function_error"));
        Assert.Equal(1, Count(errors, "empty", "error.type", "no_instance"));

        var throttles = Assert.Single(measurements.Of("fcgateway.throttles"));
        Assert.True(throttles.Has("faas.invoked_name", "empty") && throttles.Has("http.response.status_code", 503));

        var active = measurements.Of("fcgateway.invocations.active");
        Assert.Equal(10, active.Count);
        Assert.Equal(0, active.Sum(m => m.Value));

        Assert.Equal(5, measurements.Of("faas.invoke_duration").Count);
        Assert.Equal(4, measurements.Of("fcgateway.queue.duration").Count);
        var workerDurations = measurements.Of("fcgateway.worker.duration");
        Assert.Equal(4, workerDurations.Count);
        Assert.DoesNotContain(workerDurations, m => m.Has("faas.invoked_name", "empty"));

        var requestSizes = measurements.Of("http.server.request.body.size").Where(m => m.Has("faas.invoked_name", "echo")).ToList();
        Assert.Equal([5, 5, 5], requestSizes.Select(m => m.Value));
        Assert.All(requestSizes, m => Assert.True(m.Has("http.request.method", "POST")));
        var responseSizes = measurements.Of("http.server.response.body.size").Where(m => m.Has("faas.invoked_name", "echo")).ToList();
        Assert.Equal([5, 5, 5], responseSizes.Select(m => m.Value));
        Assert.All(responseSizes, m => Assert.True(m.Has("http.response.status_code", 200)));
    }

    private static int Count(IEnumerable<Measurement> measurements, string function, string tag, string value) =>
        (int)measurements.Where(m => m.Has("faas.invoked_name", function) && m.Has(tag, value)).Sum(m => m.Value);

    [Fact]
    public async Task InvocationWaitingForABusyInstance_IsObservedAsQueued()
    {
        var release = new TaskCompletionSource();
        var arrived = new TaskCompletionSource();
        await using var worker = await TestWorker.StartAsync(async (context, _) =>
        {
            arrived.TrySetResult();
            await release.Task;
            await TestWorker.Reply(context, 200, "ok", "200");
        });
        await using var gateway = await TestGateway.ForWorkerAsync(worker, configure: c => c.Set("Gateway:Functions:echo:InstanceConcurrency", "1"));
        using var measurements = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());

        var first = gateway.Client.GetAsync("/echo/");
        await arrived.Task;
        var second = gateway.Client.GetAsync("/echo/");
        await Eventually.HoldsAsync(() => Observed(measurements, "fcgateway.invocations.queued") == 1);
        Assert.Equal(1, Observed(measurements, "fcgateway.invocations.running"));
        release.TrySetResult();
        using (await first)
        using (await second)
        {
        }

        await Eventually.HoldsAsync(() => measurements.Of("faas.invocations").Count == 2);
        Assert.Equal(0, Observed(measurements, "fcgateway.invocations.queued"));
        Assert.Equal(2, measurements.Of("fcgateway.queue.duration").Count);
    }

    [Fact]
    public async Task AsyncInvocationAttempts_AreCounted_WithTheirWaitForAnInstanceAndTheirWorkerCall()
    {
        await using var worker = await AsyncInvokeApi.FunctionErrorOnceWorkerAsync();
        var time = new WatchedTimeProvider();
        await using var gateway = await TestGateway.ForWorkerAsync(worker, timeProvider: time);
        using var measurements = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());

        await AsyncInvokeApi.AcceptedAsync(gateway);
        await time.TimerSet(AsyncRetryPolicy.FirstRetryDelay);
        time.Advance(AsyncRetryPolicy.FirstRetryDelay);
        await Eventually.HoldsAsync(() => measurements.Of("fcgateway.async.attempts").Count == 2);

        var attempts = measurements.Of("fcgateway.async.attempts");
        Assert.Equal(1, Count(attempts, "echo", "fcgateway.outcome", "function_error"));
        Assert.Equal(1, Count(attempts, "echo", "fcgateway.outcome", "success"));
        var workerCalls = measurements.Of("fcgateway.worker.duration");
        Assert.Equal(["function_error", "success"], workerCalls.Select(m => (string?)m.Tags["fcgateway.outcome"]));
        Assert.All(attempts.Concat(workerCalls), m => Assert.True(m.Has("faas.trigger", "other") && m.Has("faas.invoked_name", "echo")));
        Assert.Equal(2, measurements.Of("fcgateway.queue.duration").Count(m => m.Has("faas.invoked_name", "echo")));
    }

    /// <remarks>
    /// A function whose workers pull is run by whichever worker polls: until a poll takes the invocation it waits for an
    /// instance, and one no poll took never reached a worker, as a pushed invocation refused for want of an instance.
    /// </remarks>
    [Fact]
    public async Task APulledInvocationNoWorkerTook_WaitedForAnInstance_AndHadNoWorkerCall()
    {
        using var spans = new RecordedSpans();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await PullFunction.StartAsync(c => c.Set("Gateway:Functions:echo:Timeout", "00:00:10"), time);
        using var measurements = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());

        var call = gateway.Client.GetAsync("/echo/");
        var mailbox = gateway.Services.GetRequiredService<RuntimeApiDirectory>().MailboxOf(PullFunction.Name);
        await Eventually.HoldsAsync(() => mailbox.QueuedInvocations == 1);
        time.Advance(TimeSpan.FromSeconds(11));
        using var response = await call;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var invocation = await spans.InvocationAsync(InvocationSpanTests.RequestIdOf(response));
        Assert.Equal("no_instance", invocation.GetTagItem("fcgateway.outcome"));
        Assert.Null(invocation.GetTagItem("fcgateway.destination"));
        await Eventually.HoldsAsync(() => measurements.Of("faas.invocations").Count == 1);
        Assert.Single(measurements.Of("fcgateway.queue.duration"));
        Assert.Empty(measurements.Of("fcgateway.worker.duration"));
    }

    [Fact]
    public async Task APulledInvocationAWorkerTook_IsTheWorkersCall_OnTheSharedInstance()
    {
        using var spans = new RecordedSpans();
        await using var gateway = await PullFunction.StartAsync();
        using var measurements = new RecordedMeasurements(gateway.Services.GetRequiredService<IMeterFactory>());
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Task.FromResult("""{"statusCode":200,"body":"ok"}"""u8.ToArray()));

        using var response = await gateway.Client.GetAsync("/echo/");

        var invocation = await spans.InvocationAsync(InvocationSpanTests.RequestIdOf(response));
        Assert.Equal("runtime-api", invocation.GetTagItem("fcgateway.destination"));
        await Eventually.HoldsAsync(() => measurements.Of("faas.invocations").Count == 1);
        Assert.Single(measurements.Of("fcgateway.queue.duration"));
        Assert.True(Assert.Single(measurements.Of("fcgateway.worker.duration")).Has("fcgateway.outcome", "success"));
    }

    private static double Observed(RecordedMeasurements measurements, string instrument) =>
        measurements.Observe(instrument).Where(m => m.Has("faas.invoked_name", "echo")).Sum(m => m.Value);
}
