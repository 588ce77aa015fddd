using Aero.Flights;
using Aero.Streams.Transform;
using Aero.Streams.Windows;

namespace Aero.Bench;

/// <summary>
/// Each record's event time by partition and offset (the windows benchmark produces record i to partition i mod n, so
/// its offset is i / n), as a running maximum: what a partition's watermark is once its next offset is committed.
/// </summary>
internal sealed class CommitTimeline
{
    private readonly long?[][] _highest;

    public CommitTimeline(IReadOnlyList<FlightRecord> flights, int partitions, FlightTransform transform, WindowSettings settings)
    {
        var times = Enumerable.Range(0, partitions).Select(_ => new List<long?>()).ToArray();
        for (var i = 0; i < flights.Count; i++)
        {
            var time = transform.TryTransform(flights[i], DateTime.UtcNow, out var processed, out _) ? WindowKeys.EventTime(processed, settings.EventTime) : (long?)null;
            var partition = times[i % partitions];
            var before = partition.Count == 0 ? null : partition[^1];
            partition.Add(before is { } known && (time is null || known > time) ? known : time);
        }

        _highest = [.. times.Select(t => t.ToArray())];
    }

    public int Partitions => _highest.Length;

    /// <summary>A fresh record of one load's commits, with these windows' out-of-orderness and lateness.</summary>
    public WatermarkTrack For(WindowSettings settings) => new(this, settings);

    /// <summary>The highest event time among the partition's records before <paramref name="nextOffset"/>.</summary>
    public long? HighestBefore(int partition, long nextOffset) =>
        nextOffset <= 0 ? null : _highest[partition][(int)Math.Min(nextOffset, _highest[partition].Length) - 1];
}
