using Aero.Warehouse.Windows;

namespace Aero.Streams.Windows;

/// <summary>
/// Decides which windows are final from what the warehouse holds and where the partitions' logs end in Kafka, and has
/// the warehouse finalize them: a window closes once the topic's watermark (the minimum over its partitions that are
/// not idle, <see cref="Watermarks"/>) has passed its end plus the allowed lateness. Beyond
/// <paramref name="maxOpenWindows"/> open windows, the oldest close early, so what is open stays bounded. It keeps
/// nothing between rounds, so any node can run the next one.
/// </summary>
public sealed class WindowFinalizer(IWindowStore store, WindowSettings settings, string topic, int maxOpenWindows)
{
    public async Task<WindowRound> RunAsync(DateTime now, IPartitionLogs logs, CancellationToken cancellationToken = default)
    {
        var overview = await store.OverviewAsync(0, cancellationToken);
        var marks = await WatermarksAsync(overview.Partitions, now, logs, cancellationToken);
        var watermark = Watermark(marks, now);
        var lateness = (long)settings.AllowedLateness.TotalMilliseconds;
        var closing = overview.Open.Where(w => Watermarks.Closes(new EventWindow(Milliseconds(w.Start), Milliseconds(w.End)), watermark, lateness)).ToList();
        var stillOpen = overview.Open.Except(closing).ToList();
        var forced = stillOpen.Take(Math.Max(0, stillOpen.Count - maxOpenWindows)).ToList();

        var finalized = new List<FinalizedWindow>();
        var late = 0L;
        if (closing.Count > 0 || overview.PendingLate > 0)
        {
            var done = await store.FinalizeAsync(closing, Time(watermark ?? 0), WindowClosings.Watermark, cancellationToken);
            (finalized, late) = ([.. done.Finalized], done.LateRecords);
        }

        if (forced.Count > 0)
        {
            var done = await store.FinalizeAsync(forced, Time(watermark ?? Milliseconds(forced[^1].End)), WindowClosings.OpenWindowLimit, cancellationToken);
            finalized.AddRange(done.Finalized);
            late += done.LateRecords;
        }

        var slowest = marks.Where(m => !m.Mark.IsIdle(now, settings.IdleTimeout)).OrderBy(m => m.Mark.MaxEventTime ?? long.MinValue).Select(m => m.Stored).FirstOrDefault();
        return new WindowRound(finalized, late, stillOpen.Count - forced.Count, watermark is { } value ? Time(value) : null, slowest);
    }

    /// <summary>
    /// The input has ended (<c>aero run --once</c>, every partition read to its end): every open window is final, at the
    /// highest event time stored, as if the watermark had moved to the end of time.
    /// </summary>
    public async Task<WindowFinalizing> FinishInputAsync(CancellationToken cancellationToken = default)
    {
        var overview = await store.OverviewAsync(0, cancellationToken);
        var highest = overview.Partitions.Where(p => p.Topic == topic).Max(p => p.MaxEventTime) ?? DateTime.UnixEpoch;
        return await store.FinalizeAsync(overview.Open, highest, WindowClosings.EndOfInput, cancellationToken);
    }

    /// <summary>
    /// The topic's partitions as the watermark rules see them. Caught up means the warehouse's next offset reached the
    /// partition's log end in Kafka: a partition silent because nobody loads it (its worker was killed and the
    /// rebalance has not happened yet, or the load lags) is never idle. Kafka is asked only about partitions silent for
    /// the idle timeout, the only ones it can make idle; a partition of another Kafka cluster than the one read now is
    /// read no more, and counts as caught up.
    /// </summary>
    public async Task<IReadOnlyList<PartitionProgress>> WatermarksAsync(
        IReadOnlyList<PartitionEventTime> stored, DateTime now, IPartitionLogs logs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(logs);
        var partitions = stored.Where(p => p.Topic == topic).ToList();
        var silent = partitions.Where(p => now - p.UpdatedAt >= settings.IdleTimeout).Select(p => p.Partition).Distinct().ToList();
        var ends = silent.Count == 0 ? null : await logs.ReadAsync(topic, silent, cancellationToken);
        return [.. partitions.Select(p => new PartitionProgress(p, new PartitionWatermark(
            p.MaxEventTime is { } time ? Milliseconds(time) : null,
            p.UpdatedAt,
            ends is not null && (p.ClusterId != ends.ClusterId || (ends.Partitions.TryGetValue(p.Partition, out var log) && log.IsReadUpTo(p.NextOffset))))))];
    }

    /// <summary>The topic's watermark over these partitions (null with none, or while one that delivered nothing holds it).</summary>
    public long? Watermark(IReadOnlyList<PartitionProgress> partitions, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        return partitions.Count == 0 ? null : Watermarks.Global([.. partitions.Select(p => p.Mark)], (long)settings.OutOfOrderness.TotalMilliseconds, now, settings.IdleTimeout);
    }

    private static long Milliseconds(DateTime time) => (long)(time - DateTime.UnixEpoch).TotalMilliseconds;

    private static DateTime Time(long milliseconds) => DateTime.UnixEpoch.AddMilliseconds(milliseconds);
}
