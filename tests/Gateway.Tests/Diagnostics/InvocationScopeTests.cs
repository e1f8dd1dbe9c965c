using System.Diagnostics.Metrics;
using FcGateway.Concurrency;
using FcGateway.Configuration;
using FcGateway.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Diagnostics;

public sealed class InvocationScopeTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly RecordedMeasurements _measurements;
    private readonly GatewaySettingsMonitor _settings;
    private readonly InvocationTelemetry _telemetry;

    public InvocationScopeTests()
    {
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        _measurements = new RecordedMeasurements(meterFactory);
        _settings = new GatewaySettingsMonitor(new ConfigurationBuilder().Build(), NullLogger<GatewaySettingsMonitor>.Instance);
        _telemetry = new InvocationTelemetry(new GatewayMetrics(meterFactory, new FunctionInstanceScheduler([], TimeProvider.System)), _settings, NullLogger<InvocationTelemetry>.Instance);
    }

    [Fact]
    public void RefusedWhileWaiting_RecordsTheWait_AndA429Throttle()
    {
        using (var scope = _telemetry.StartInvocation(new DefaultHttpContext(), "echo"))
        {
            scope.InstanceRequested();
            scope.Complete(InvocationOutcome.Throttled, StatusCodes.Status429TooManyRequests);
        }

        Assert.Single(_measurements.Of("fcgateway.queue.duration"));
        var throttle = Assert.Single(_measurements.Of("fcgateway.throttles"));
        Assert.True(throttle.Has("http.response.status_code", 429) && throttle.Has("fcgateway.outcome", "throttled"));
        Assert.Equal(0, _measurements.Of("fcgateway.invocations.active").Sum(m => m.Value));
        Assert.Empty(_measurements.Of("fcgateway.worker.duration"));
    }

    [Fact]
    public void Granted_RecordsTheWaitOnce_AndTheWorkerCall()
    {
        var destination = new DestinationState("d0", new DestinationModel(new DestinationConfig { Address = "http://127.0.0.1:9000" }));
        using var scope = _telemetry.StartInvocation(new DefaultHttpContext(), "echo");

        scope.InstanceRequested();
        scope.SetDestination(destination);
        scope.WorkerCallEnded();
        scope.Complete(InvocationOutcome.Success, StatusCodes.Status200OK);

        Assert.Single(_measurements.Of("fcgateway.queue.duration"));
        Assert.Single(_measurements.Of("fcgateway.worker.duration"));
        Assert.Empty(_measurements.Of("fcgateway.throttles"));
        Assert.Empty(_measurements.Of("faas.errors"));
    }

    [Fact]
    public void NeverCompleted_IsRecordedAsAnInternalError_SoNoGaugeLeaks()
    {
        using (_telemetry.StartInvocation(new DefaultHttpContext(), "echo"))
        {
        }

        Assert.Equal(0, _measurements.Of("fcgateway.invocations.active").Sum(m => m.Value));
        var invocation = Assert.Single(_measurements.Of("faas.invocations"));
        Assert.True(invocation.Has("fcgateway.outcome", "internal_error"));
    }

    [Fact]
    public void CompletedTwice_IsRecordedOnce()
    {
        using var scope = _telemetry.StartInvocation(new DefaultHttpContext(), "echo");

        scope.Complete(InvocationOutcome.Success, StatusCodes.Status200OK);
        scope.Complete(InvocationOutcome.Timeout, StatusCodes.Status502BadGateway);

        var invocation = Assert.Single(_measurements.Of("faas.invocations"));
        Assert.True(invocation.Has("fcgateway.outcome", "success"));
    }

    public void Dispose()
    {
        _measurements.Dispose();
        _settings.Dispose();
        _services.Dispose();
    }
}
