using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.RuntimeApi;

/// <summary>
/// The runtime API's own requests (workers' polls and replies) are not the gateway's traffic: their server spans come
/// from a source of their own and their measurements from meters of their own, which the gateway's telemetry, observing
/// ASP.NET Core's by name, does not see.
/// </summary>
public sealed class RuntimeApiTelemetryTests
{
    [Fact]
    public async Task WorkersPollsAndReplies_AreNotInTheServerSpansAndMetricsTheGatewayExports()
    {
        var runtimeApiSpans = new ConcurrentQueue<Activity>();
        using var spanListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RuntimeApiServer.HostingActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = runtimeApiSpans.Enqueue,
        };
        ActivitySource.AddActivityListener(spanListener);
        var exportedRoutes = new ConcurrentQueue<string>();
        using var meterListener = ListenToRoutes("Microsoft.AspNetCore.Hosting", exportedRoutes);
        var runtimeApiRoutes = new ConcurrentQueue<string>();
        using var runtimeApiMeterListener = ListenToRoutes(RuntimeApiMeterFactory.MeterPrefix + "Microsoft.AspNetCore.Hosting", runtimeApiRoutes);
        await using var gateway = await PullFunction.StartAsync();
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Task.FromResult("{}"u8.ToArray()));

        using var response = await gateway.Client.GetAsync("/echo/");

        // The polls and replies are measured and traced — by the runtime API's own meter and source (listeners are
        // process-wide, so other tests' runtime APIs may add to these; what matters is where they are not).
        await Eventually.HoldsAsync(() => runtimeApiRoutes.Any(route => route.Contains("/runtime/invocation/", StringComparison.Ordinal)));
        await Eventually.HoldsAsync(() => !runtimeApiSpans.IsEmpty);
        await Eventually.HoldsAsync(() => exportedRoutes.Contains("/echo/{**rest}"));
        Assert.DoesNotContain(exportedRoutes, route => route.Contains("/runtime/invocation/", StringComparison.Ordinal));
    }

    /// <summary>Records the <c>http.route</c> of every <c>http.server.request.duration</c> measurement of the meters named <paramref name="meterName"/>, as an exporter observing that meter would.</summary>
    private static MeterListener ListenToRoutes(string meterName, ConcurrentQueue<string> routes)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == meterName && instrument.Name == "http.server.request.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "http.route")
                {
                    routes.Enqueue(tag.Value?.ToString() ?? "");
                }
            }
        });
        listener.Start();
        return listener;
    }
}
