using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Aero.Streams.Extract;

namespace Aero.Streams.Tests.Extract.OpenSky;

/// <summary>Sums the "Aero.Extract" counters of the OpenSky source while it is alive.</summary>
public sealed class ExtractCounters : IDisposable
{
    /// <summary>The meters are process-wide: specs that count them run one at a time, in this collection.</summary>
    public const string Collection = "OpenSky extract counters";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();

    public ExtractCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ExtractMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "source", Value: "opensky" })
                {
                    _sums.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value);
                }
            }
        });
        _listener.Start();
    }

    public long this[string instrument] => _sums.GetValueOrDefault(instrument);

    public void Dispose() => _listener.Dispose();
}
