using Aero.Streams.Windows;

namespace Aero.Bench;

/// <summary>
/// When, during one load, the topic's watermark (the lowest partition's highest committed event time, minus the
/// out-of-orderness; none while a partition has committed nothing) reached which time: so when each window closed.
/// </summary>
internal sealed class WatermarkTrack(CommitTimeline timeline, WindowSettings settings)
{
    private readonly Lock _gate = new();
    private readonly long[] _next = new long[timeline.Partitions];
    private readonly List<(TimeSpan At, long Watermark)> _steps = [];

    public void Committed(IReadOnlyDictionary<(string Topic, int Partition), long> nextOffsets, TimeSpan at)
    {
        lock (_gate)
        {
            foreach (var ((_, partition), next) in nextOffsets)
            {
                _next[partition] = Math.Max(_next[partition], next);
            }

            var lowest = long.MaxValue;
            for (var partition = 0; partition < _next.Length; partition++)
            {
                if (timeline.HighestBefore(partition, _next[partition]) is not { } highest)
                {
                    return;
                }

                lowest = Math.Min(lowest, highest);
            }

            var watermark = lowest - (long)settings.OutOfOrderness.TotalMilliseconds;
            if (_steps.Count == 0 || watermark > _steps[^1].Watermark)
            {
                _steps.Add((at, watermark));
            }
        }
    }

    /// <summary>The commit at which the watermark passed the window's end plus the allowed lateness, or null.</summary>
    public TimeSpan? ClosedAt(DateTime end)
    {
        var threshold = (long)(end - DateTime.UnixEpoch).TotalMilliseconds + (long)settings.AllowedLateness.TotalMilliseconds;
        lock (_gate)
        {
            var index = _steps.FindIndex(step => step.Watermark >= threshold);
            return index < 0 ? null : _steps[index].At;
        }
    }
}
