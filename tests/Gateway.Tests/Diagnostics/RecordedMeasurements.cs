using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Gateway.Tests.Diagnostics;

/// <summary>One measurement of an instrument, with its tags.</summary>
public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public bool Has(string tag, object? value) => Tags.TryGetValue(tag, out var actual) && Equals(actual, value);
}

/// <summary>Records the measurements of the meters one <see cref="IMeterFactory"/> created, i.e. of one gateway only.</summary>
public sealed class RecordedMeasurements : IDisposable
{
    private readonly ConcurrentQueue<Measurement> _measurements = new();
    private readonly MeterListener _listener;

    public RecordedMeasurements(IMeterFactory meterFactory)
    {
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<Measurement> Of(string instrument) => _measurements.Where(m => m.Instrument == instrument).ToList();

    /// <summary>Asks the observable instruments for their values now; returns what <paramref name="instrument"/> reported.</summary>
    public IReadOnlyList<Measurement> Observe(string instrument)
    {
        var before = Of(instrument).Count;
        _listener.RecordObservableInstruments();
        return Of(instrument).Skip(before).ToList();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new Measurement(instrument.Name, value, copy));
    }
}
