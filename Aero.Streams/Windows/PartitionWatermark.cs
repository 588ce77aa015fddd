namespace Aero.Streams.Windows;

/// <summary>
/// One partition's progress in event time: the highest event time seen (null before any record), when it last
/// delivered a record, and whether it is caught up (its position at the log end). Its watermark is the highest event
/// time minus the allowed out-of-orderness; it only moves forward, whatever order the records come in.
/// </summary>
public readonly record struct PartitionWatermark(long? MaxEventTime, DateTime LastRecordAt, bool CaughtUp)
{
    public static PartitionWatermark None(DateTime assignedAt) => new(null, assignedAt, CaughtUp: false);

    public PartitionWatermark Observe(long eventTime, DateTime now) =>
        new(MaxEventTime is { } max ? Math.Max(max, eventTime) : eventTime, now, CaughtUp);

    public PartitionWatermark WithCaughtUp(bool caughtUp) => this with { CaughtUp = caughtUp };

    /// <summary>Records below it are not expected any more; null before the partition delivered any.</summary>
    public long? Value(long outOfOrdernessMilliseconds) => MaxEventTime - outOfOrdernessMilliseconds;

    /// <summary>
    /// Caught up and silent for <paramref name="idleTimeout"/>: it leaves the minimum, so a quiet partition does not hold
    /// every window open. A partition behind its log end (lagging, paused, backpressured) is never idle.
    /// </summary>
    public bool IsIdle(DateTime now, TimeSpan idleTimeout) => CaughtUp && now - LastRecordAt >= idleTimeout;
}
