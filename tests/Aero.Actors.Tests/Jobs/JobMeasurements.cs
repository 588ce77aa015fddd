using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Aero.Actors.Jobs;

namespace Aero.Actors.Tests.Jobs;

/// <summary>What the <see cref="JobMetrics"/> instruments record for a set of jobs, summed per instrument, job and outcome.</summary>
internal sealed class JobMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, double> _sums = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public JobMeasurements(params string[] jobs)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == JobMetrics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags, jobs));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags, jobs));
        _listener.Start();
    }

    /// <summary>The sum of what <paramref name="instrument"/> recorded for <paramref name="job"/> (and <paramref name="outcome"/>).</summary>
    public double Sum(string instrument, string job, string? outcome = null) => _sums.GetValueOrDefault(Key(instrument, job, outcome));

    /// <summary>How many measurements <paramref name="instrument"/> recorded for <paramref name="job"/> (and <paramref name="outcome"/>).</summary>
    public int Count(string instrument, string job, string? outcome = null) => _counts.GetValueOrDefault(Key(instrument, job, outcome));

    public void Dispose() => _listener.Dispose();

    private static string Key(string instrument, string job, string? outcome) => $"{instrument}|{job}|{outcome}";

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, string[] jobs)
    {
        string? job = null, outcome = null;
        foreach (var tag in tags)
        {
            (job, outcome) = tag.Key switch
            {
                "job" => ((string?)tag.Value, outcome),
                "outcome" => (job, (string?)tag.Value),
                _ => (job, outcome),
            };
        }

        if (job is null || !jobs.Contains(job))
        {
            return;
        }

        _sums.AddOrUpdate(Key(instrument.Name, job, outcome), value, (_, sum) => sum + value);
        _counts.AddOrUpdate(Key(instrument.Name, job, outcome), 1, (_, count) => count + 1);
    }
}
