using System.Diagnostics.Metrics;
using FcGateway.Configuration;
using FcGateway.Diagnostics;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Edge.Telemetry;
using FcGateway.Outcomes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Gateway.Tests.Diagnostics;

public sealed class InvocationScopeTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly RecordedMeasurements _measurements;
    private readonly CapturedLogs _logs = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly InvocationTelemetry _telemetry;

    public InvocationScopeTests()
    {
        var meterFactory = _services.GetRequiredService<IMeterFactory>();
        _measurements = new RecordedMeasurements(meterFactory);
        _loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        _telemetry = new InvocationTelemetry(new GatewayMetrics(meterFactory, new FunctionInstanceScheduler(TimeProvider.System)), _loggerFactory);
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

    /// <remarks>
    /// Every refusal for want of an instance with room is a throttle: a wait past the queue timeout and a worker that kept
    /// refusing the invocation as full are answered 429 ResourceExhausted as a full queue is.
    /// </remarks>
    [Theory]
    [InlineData("QueueFull", 429)]
    [InlineData("QueueTimeout", 429)]
    [InlineData("InstanceBusy", 429)]
    [InlineData("NoInstance", 503)]
    public void Throttled_IsCountedAsAThrottle_AndLoggedOnceAsARefusal(string outcome, int status)
    {
        var refusal = Enum.Parse<Outcome>(outcome);
        var name = OutcomeTable.Of(refusal).Name;
        using (var scope = _telemetry.StartInvocation(new DefaultHttpContext { TraceIdentifier = "1-throttled" }, "echo", new GatewaySettings()))
        {
            scope.Complete(refusal, status, "no room");
        }

        var throttle = Assert.Single(_measurements.Of("fcgateway.throttles"));
        Assert.True(throttle.Has("http.response.status_code", status) && throttle.Has("fcgateway.outcome", name));
        var line = Assert.Single(_logs.Lines, line => line.Contains("1-throttled:", StringComparison.Ordinal));
        Assert.Equal($"Warning {InvocationTelemetry.LogCategory}: Request 1-throttled: function echo refused, {name}: no room", line);
    }

    /// <remarks>
    /// A refusal of the client's own request met during an invocation (its body too slow or over the limit, an invalid
    /// payload) is the line of a refusal before one, at Debug, not an invocation that failed.
    /// </remarks>
    [Theory]
    [InlineData("RequestTooSlow", 408)]
    [InlineData("EntityTooLarge", 400)]
    [InlineData("InvalidArgument", 400)]
    public void Rejected_IsLoggedOnceAsARefusalOfTheRequest(string outcome, int status)
    {
        using (var scope = _telemetry.StartInvocation(new DefaultHttpContext { TraceIdentifier = "1-rejected" }, "echo", new GatewaySettings()))
        {
            scope.Complete(Enum.Parse<Outcome>(outcome), status, "too slow");
        }

        var line = Assert.Single(_logs.Lines, line => line.Contains("1-rejected refused", StringComparison.Ordinal));
        Assert.Equal($"Debug {InvocationTelemetry.LogCategory}: Request 1-rejected refused, rejected: too slow", line);
        Assert.DoesNotContain(_logs.Lines, line => line.Contains("invocation of function", StringComparison.Ordinal));
        Assert.Empty(_measurements.Of("fcgateway.throttles"));
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
        _loggerFactory.Dispose();
        _services.Dispose();
    }
}
