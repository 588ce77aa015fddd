namespace Aero.Streams.Windows;

/// <summary>The topic's watermark from its partitions': the minimum, never the maximum, so no partition's records are made late by another's.</summary>
public static class Watermarks
{
    /// <summary>
    /// The minimum over the partitions that are not idle. A partition that has delivered nothing and is not idle holds
    /// it (null: no window can close). When every partition is idle, every record there is has been seen: the maximum.
    /// </summary>
    public static long? Global(IReadOnlyCollection<PartitionWatermark> partitions, long outOfOrdernessMilliseconds, DateTime now, TimeSpan idleTimeout)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        var active = partitions.Where(p => !p.IsIdle(now, idleTimeout)).ToList();
        if (active.Count == 0)
        {
            return partitions.Select(p => p.Value(outOfOrdernessMilliseconds)).Max();
        }

        return active.Any(p => p.MaxEventTime is null) ? null : active.Min(p => p.Value(outOfOrdernessMilliseconds));
    }

    /// <summary>
    /// Whether the window is final at this watermark: it has reached the window's end plus the allowed lateness (a
    /// watermark w says records before w are not expected any more, and the window holds records before its end).
    /// </summary>
    public static bool Closes(EventWindow window, long? watermark, long allowedLatenessMilliseconds) =>
        watermark is { } value && value >= window.End + allowedLatenessMilliseconds;
}
