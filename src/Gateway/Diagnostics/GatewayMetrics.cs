using System.Diagnostics.Metrics;
using System.Diagnostics;
using FcGateway.Dispatch.Scheduling;
using FcGateway.Outcomes;

namespace FcGateway.Diagnostics;

/// <summary>
/// The gateway's instruments, on the <c>FcGateway</c> meter created through <see cref="IMeterFactory"/>. Names follow
/// OpenTelemetry's FaaS and HTTP semantic conventions where one exists (<c>faas.*</c>, <c>http.server.*.body.size</c>);
/// the rest live under <c>fcgateway.</c>. Every recording is guarded by <see cref="Instrument.Enabled"/>.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = GatewayDiagnostics.SourceName;

    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120, 300, 600];
    private static readonly long[] SizeBuckets = [0, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 33554432];

    private readonly Counter<long> _invocations;
    private readonly Histogram<double> _invokeDuration;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _workerDuration;
    private readonly UpDownCounter<long> _active;
    private readonly Histogram<double> _queueDuration;
    private readonly Counter<long> _throttles;
    private readonly Histogram<long> _requestBodySize;
    private readonly Histogram<long> _responseBodySize;
    private readonly Counter<long> _asyncAttempts;

    public GatewayMetrics(IMeterFactory meterFactory, FunctionInstanceScheduler scheduler)
    {
        var meter = meterFactory.Create(MeterName);
        _invocations = meter.CreateCounter<long>("faas.invocations", "{invocation}", "Invocations by function and outcome.");
        _invokeDuration = meter.CreateHistogram("faas.invoke_duration", "s", "Duration of an invocation, from routing to the last response byte.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _errors = meter.CreateCounter<long>("faas.errors", "{error}", "Invocations that did not succeed, by error.type.");
        _workerDuration = meter.CreateHistogram("fcgateway.worker.duration", "s", "Duration of the worker call (initialize, POST /invoke, reading the output).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _active = meter.CreateUpDownCounter<long>("fcgateway.invocations.active", "{invocation}", "Invocations in flight.");
        meter.CreateObservableUpDownCounter("fcgateway.invocations.queued", () => ObserveQueues(scheduler, queued: true), "{invocation}",
            "Invocations waiting for a free instance.");
        meter.CreateObservableUpDownCounter("fcgateway.invocations.running", () => ObserveQueues(scheduler, queued: false), "{invocation}",
            "Invocations running on an instance (holding one of its InstanceConcurrency slots).");
        _queueDuration = meter.CreateHistogram("fcgateway.queue.duration", "s", "Time an invocation waited for an instance with room (0 when one was free).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _throttles = meter.CreateCounter<long>("fcgateway.throttles", "{invocation}", "Invocations refused with 429 ResourceExhausted or 503 ResourceThrottled.");
        _asyncAttempts = meter.CreateCounter<long>("fcgateway.async.attempts", "{attempt}", "Attempts of asynchronous invocations, by function and outcome.");
        _requestBodySize = meter.CreateHistogram("http.server.request.body.size", "By", "Size of invocation request bodies.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets });
        _responseBodySize = meter.CreateHistogram("http.server.response.body.size", "By", "Size of invocation response bodies.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets });
    }

    public void InvocationStarted(string functionName)
    {
        if (_active.Enabled)
        {
            _active.Add(1, new KeyValuePair<string, object?>(TelemetryTags.FunctionName, functionName));
        }
    }

    /// <summary>An invocation's wait for an instance ended; nothing when <paramref name="waited"/> is null (it was taken already).</summary>
    public void InstanceWaitEnded(string functionName, TimeSpan? waited)
    {
        if (waited is { } wait && _queueDuration.Enabled)
        {
            _queueDuration.Record(wait.TotalSeconds, new KeyValuePair<string, object?>(TelemetryTags.FunctionName, functionName));
        }
    }

    public void InvocationCompleted(in InvocationMeasurements measurements)
    {
        var functionName = measurements.FunctionName;
        if (_active.Enabled)
        {
            _active.Add(-1, new KeyValuePair<string, object?>(TelemetryTags.FunctionName, functionName));
        }

        var outcome = measurements.Outcome;
        var outcomeName = OutcomeTable.Of(outcome).Name;
        var tags = new TagList
        {
            { TelemetryTags.FaasTrigger, TelemetryTags.HttpTrigger },
            { TelemetryTags.FunctionName, functionName },
            { TelemetryTags.Outcome, outcomeName },
        };
        if (_invocations.Enabled)
        {
            _invocations.Add(1, tags);
        }

        if (_invokeDuration.Enabled)
        {
            _invokeDuration.Record(measurements.Duration.TotalSeconds, tags);
        }

        if (measurements.WorkerDuration is { } workerDuration && _workerDuration.Enabled)
        {
            _workerDuration.Record(workerDuration.TotalSeconds, tags);
        }

        if (outcome != Outcome.Success)
        {
            RecordFailure(functionName, outcome, outcomeName, measurements.StatusCode);
        }

        RecordBodySizes(measurements);
    }

    /// <summary>
    /// An attempt of an asynchronous invocation ended, after a worker call of <paramref name="workerDuration"/> when one
    /// ran it (the 202 that accepted the invocation was counted as the request's invocation).
    /// </summary>
    public void AsyncAttemptEnded(string functionName, Outcome outcome, TimeSpan? workerDuration)
    {
        var tags = new TagList
        {
            { TelemetryTags.FaasTrigger, TelemetryTags.OtherTrigger },
            { TelemetryTags.FunctionName, functionName },
            { TelemetryTags.Outcome, OutcomeTable.Of(outcome).Name },
        };
        if (_asyncAttempts.Enabled)
        {
            _asyncAttempts.Add(1, tags);
        }

        if (workerDuration is { } duration && _workerDuration.Enabled)
        {
            _workerDuration.Record(duration.TotalSeconds, tags);
        }
    }

    private void RecordFailure(string functionName, Outcome outcome, string outcomeName, int statusCode)
    {
        if (_errors.Enabled)
        {
            _errors.Add(1, new TagList
            {
                { TelemetryTags.FaasTrigger, TelemetryTags.HttpTrigger },
                { TelemetryTags.FunctionName, functionName },
                { TelemetryTags.ErrorType, outcomeName },
            });
        }

        if (OutcomeTable.Of(outcome).IsThrottle && _throttles.Enabled)
        {
            _throttles.Add(1, new TagList
            {
                { TelemetryTags.FunctionName, functionName },
                { TelemetryTags.Outcome, outcomeName },
                { TelemetryTags.HttpStatusCode, statusCode },
            });
        }
    }

    private void RecordBodySizes(in InvocationMeasurements measurements)
    {
        if (_requestBodySize.Enabled && measurements.RequestBodyBytes is { } requestBytes)
        {
            _requestBodySize.Record(requestBytes, new TagList
            {
                { TelemetryTags.FunctionName, measurements.FunctionName },
                { TelemetryTags.HttpMethod, measurements.Method },
            });
        }

        if (_responseBodySize.Enabled && measurements.ResponseBodyBytes is { } responseBytes)
        {
            _responseBodySize.Record(responseBytes, new TagList
            {
                { TelemetryTags.FunctionName, measurements.FunctionName },
                { TelemetryTags.HttpMethod, measurements.Method },
                { TelemetryTags.HttpStatusCode, measurements.StatusCode },
            });
        }
    }

    /// <summary>Read when a collector asks, off the hot path: the scheduler already counts both.</summary>
    private static List<Measurement<long>> ObserveQueues(FunctionInstanceScheduler scheduler, bool queued)
    {
        var measurements = new List<Measurement<long>>();
        foreach (var (functionName, queue) in scheduler.Functions)
        {
            measurements.Add(new Measurement<long>(queued ? queue.Queued : queue.Running,
                new KeyValuePair<string, object?>(TelemetryTags.FunctionName, functionName)));
        }

        return measurements;
    }
}
