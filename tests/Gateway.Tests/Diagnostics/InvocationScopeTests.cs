using System.Diagnostics.Metrics;
using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Edge.Telemetry;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Diagnostics;

public sealed class InvocationScopeTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly RecordedMeasurements _measurements;
    private readonly InvocationTelemetry _telemetry;

    public InvocationScopeTests()
    {
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        _measurements = new RecordedMeasurements(meterFactory);
        _telemetry = new InvocationTelemetry(new GatewayMetrics(meterFactory, new FunctionInstanceScheduler(TimeProvider.System)), NullLoggerFactory.Instance);
    }

    [Fact]
    public void RefusedWhileWaiting_RecordsTheWait_AndA429Throttle()
    {
        using (var scope = _telemetry.StartInvocation(new DefaultHttpContext(), "echo", new GatewaySettings()))
        {
            scope.InstanceRequested();
            scope.Complete(Outcome.QueueFull, StatusCodes.Status429TooManyRequests);
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
        using var scope = _telemetry.StartInvocation(new DefaultHttpContext(), "echo", new GatewaySettings());

        scope.InstanceRequested();
        scope.InstanceChosen(destination);
        scope.WorkerCallEnded();
        scope.Complete(Outcome.Success, StatusCodes.Status200OK);

        Assert.Single(_measurements.Of("fcgateway.queue.duration"));
        Assert.Single(_measurements.Of("fcgateway.worker.duration"));
        Assert.Empty(_measurements.Of("fcgateway.throttles"));
        Assert.Empty(_measurements.Of("faas.errors"));
    }

    [Fact]
    public void NeverCompleted_IsRecordedAsAnInternalError_SoNoGaugeLeaks()
    {
        using (_telemetry.StartInvocation(new DefaultHttpContext(), "echo", new GatewaySettings()))
        {
        }

        Assert.Equal(0, _measurements.Of("fcgateway.invocations.active").Sum(m => m.Value));
        var invocation = Assert.Single(_measurements.Of("faas.invocations"));
        Assert.True(invocation.Has("fcgateway.outcome", "internal_error"));
    }

    [Fact]
    public void CompletedTwice_IsRecordedOnce()
    {
        using var scope = _telemetry.StartInvocation(new DefaultHttpContext(), "echo", new GatewaySettings());

        scope.Complete(Outcome.Success, StatusCodes.Status200OK);
        scope.Complete(Outcome.Timeout, StatusCodes.Status502BadGateway);

        var invocation = Assert.Single(_measurements.Of("faas.invocations"));
        Assert.True(invocation.Has("fcgateway.outcome", "success"));
    }

    public void Dispose()
    {
        _measurements.Dispose();
        _services.Dispose();
    }
}
