using System.Diagnostics;
using System.Diagnostics.Metrics;
using FcGateway.Diagnostics;

namespace FcGateway.Dispatch.Pull;

/// <summary>
/// The instruments of the instances the gateway launches, on the gateway's meter: how many each function has, starting
/// and ready (<c>fcgateway.instances</c>), and how long each took from its process's start to its first poll
/// (<c>fcgateway.instance.start.duration</c>: the cold start a first invocation waits out).
/// </summary>
internal sealed class LaunchedInstanceMetrics
{
    private const string StateTag = "fcgateway.instance.state";

    private static readonly double[] StartBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private readonly Histogram<double> _startDuration;

    /// <param name="meterFactory">Makes the gateway's meter.</param>
    /// <param name="counts">Each function's instances now: starting and ready.</param>
    public LaunchedInstanceMetrics(IMeterFactory meterFactory, Func<IEnumerable<(string Function, int Starting, int Ready)>> counts)
    {
        var meter = meterFactory.Create(GatewayMetrics.MeterName);
        _startDuration = meter.CreateHistogram("fcgateway.instance.start.duration", "s",
            "Time from a launched instance's process start to its first poll of the runtime API.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = StartBuckets });
        meter.CreateObservableUpDownCounter("fcgateway.instances", () => Observe(counts()), "{instance}",
            "Launched instances by function and state (starting, ready); instances being stopped are not counted.");
    }

    public void InstanceReady(string function, TimeSpan startDuration)
    {
        if (_startDuration.Enabled)
        {
            _startDuration.Record(startDuration.TotalSeconds, new KeyValuePair<string, object?>(TelemetryTags.FunctionName, function));
        }
    }

    private static IEnumerable<Measurement<long>> Observe(IEnumerable<(string Function, int Starting, int Ready)> counts)
    {
        foreach (var (function, starting, ready) in counts)
        {
            yield return new(starting, new TagList { { TelemetryTags.FunctionName, function }, { StateTag, "starting" } });
            yield return new(ready, new TagList { { TelemetryTags.FunctionName, function }, { StateTag, "ready" } });
        }
    }
}
