using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FcGateway.RuntimeApi;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

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

    /// <summary>
    /// OpenTelemetry's ASP.NET Core instrumentation subscribes to every DiagnosticListener named <c>Microsoft.AspNetCore</c>;
    /// hosting then starts an activity for each request it serves there. The runtime API's listener goes by a name of its
    /// own, so a poll or a reply has no activity, and the lines logged while serving it no trace id of a trace never exported.
    /// </summary>
    [Fact]
    public async Task WorkersPollsAndReplies_AreNotSeenByASubscriberOfAspNetCoresDiagnosticListener()
    {
        var paths = new ConcurrentQueue<string>();
        using var subscriber = new AspNetCoreRequestSubscriber(paths);
        using var subscription = DiagnosticListener.AllListeners.Subscribe(subscriber);
        await using var gateway = await PullFunction.StartAsync();
        await using var worker = PullingWorker.Start(gateway.RuntimeApi(), _ => Task.FromResult("{}"u8.ToArray()));

        using var response = await gateway.Client.GetAsync("/echo/");

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        await Eventually.HoldsAsync(() => paths.Contains("/echo/"));
        Assert.DoesNotContain(paths, path => path.Contains("/runtime/invocation/", StringComparison.Ordinal));
    }

    /// <summary>Subscribes to ASP.NET Core's DiagnosticListeners as OpenTelemetry does, recording each request's path.</summary>
    private sealed class AspNetCoreRequestSubscriber(ConcurrentQueue<string> paths) : IObserver<DiagnosticListener>, IDisposable
    {
        private readonly ConcurrentQueue<IDisposable> _subscriptions = new();

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == "Microsoft.AspNetCore")
            {
                _subscriptions.Enqueue(listener.Subscribe(new RequestStarts(paths), (_, _, _) => true));
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            while (_subscriptions.TryDequeue(out var subscription))
            {
                subscription.Dispose();
            }
        }

        private sealed class RequestStarts(ConcurrentQueue<string> paths) : IObserver<KeyValuePair<string, object?>>
        {
            public void OnNext(KeyValuePair<string, object?> value)
            {
                if (value is { Key: "Microsoft.AspNetCore.Hosting.HttpRequestIn.Start", Value: HttpContext context })
                {
                    paths.Enqueue(context.Request.Path.Value ?? "");
                }
            }

            public void OnCompleted()
            {
            }

            public void OnError(Exception error)
            {
            }
        }
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
