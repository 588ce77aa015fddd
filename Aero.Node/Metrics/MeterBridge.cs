using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace Aero.Node.Metrics;

/// <summary>
/// Publishes the pipeline's System.Diagnostics.Metrics instruments as Prometheus metrics under their own names:
/// counters as counters (<c>_total</c>), histograms with the buckets their instrument advises (else <see cref="SecondsBuckets"/>), observable gauges read at each
/// scrape. prometheus-net's MeterAdapter would turn counters into gauges that vanish after minutes without change
/// and prefix every name with the meter's, so a finished run's counts would disappear from /metrics.
/// </summary>
public sealed class MeterBridge : IDisposable
{
    // Warehouse batches take milliseconds (DuckDB, a local PostgreSQL) to seconds (BigQuery, a loaded server).
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Collector> _collectors = new();
    private readonly IReadOnlyCollection<string> _meters;

    public MeterBridge(IReadOnlyCollection<string> meters)
    {
        _meters = meters;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_meters.Contains(instrument.Meter.Name))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
        Prometheus.Metrics.DefaultRegistry.AddBeforeCollectCallback(_listener.RecordObservableInstruments);
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var names = new string[tags.Length];
        var values = new string[tags.Length];
        for (var i = 0; i < tags.Length; i++)
        {
            names[i] = tags[i].Key;
            values[i] = tags[i].Value?.ToString() ?? "";
        }

        // Tag order is not fixed in System.Diagnostics.Metrics; label order is in Prometheus.
        Array.Sort(names, values, StringComparer.Ordinal);
        switch (_collectors.GetOrAdd(instrument, i => Create(i, names)))
        {
            case Counter counter:
                counter.WithLabels(values).Inc(value);
                break;
            case Histogram histogram:
                histogram.WithLabels(values).Observe(value);
                break;
            case Gauge gauge:
                gauge.WithLabels(values).Set(value);
                break;
        }
    }

    private static Collector Create(Instrument instrument, string[] labels)
    {
        var help = instrument.Description ?? instrument.Name;
        return instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> => Prometheus.Metrics.CreateCounter(instrument.Name + "_total", help, labels),
            Histogram<double> { Advice.HistogramBucketBoundaries: { } advised } => Prometheus.Metrics.CreateHistogram(instrument.Name, help, labels, new HistogramConfiguration { Buckets = [.. advised] }),
            Histogram<long> or Histogram<int> or Histogram<double> => Prometheus.Metrics.CreateHistogram(instrument.Name, help, labels, new HistogramConfiguration { Buckets = SecondsBuckets }),
            _ => Prometheus.Metrics.CreateGauge(instrument.Name, help, labels),
        };
    }
}
