using Aero.Warehouse.Windows;

namespace Aero.Streams.Windows;

/// <summary>
/// Decides which windows are final from what the warehouse holds alone, and has the warehouse finalize them: a window
/// closes once the topic's watermark (the minimum over its partitions that are not idle, <see cref="Watermarks"/>) has
/// passed its end plus the allowed lateness. Beyond <paramref name="maxOpenWindows"/> open windows, the oldest close
/// early, so what is open stays bounded. It keeps nothing between rounds, so any node can run the next one.
/// </summary>
public sealed class WindowFinalizer(IWindowStore store, WindowSettings settings, string topic, int maxOpenWindows)
{
    public async Task<WindowRound> RunAsync(DateTime now, CancellationToken cancellationToken = default)
    {
        var overview = await store.OverviewAsync(0, cancellationToken);
        var partitions = overview.Partitions.Where(p => p.Topic == topic).ToList();
        var marks = partitions.Select(p => (Partition: p, Mark: Watermark(p))).ToList();
        var outOfOrderness = (long)settings.OutOfOrderness.TotalMilliseconds;
        var watermark = marks.Count == 0 ? null : Watermarks.Global([.. marks.Select(m => m.Mark)], outOfOrderness, now, settings.IdleTimeout);
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

        var slowest = marks.Where(m => !m.Mark.IsIdle(now, settings.IdleTimeout)).OrderBy(m => m.Mark.MaxEventTime ?? long.MinValue).Select(m => m.Partition).FirstOrDefault();
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

    /// <summary>A partition as the watermark rules see it: it counts as caught up, since only a batch tells the warehouse of it; idle after idle-timeout without one.</summary>
    private static PartitionWatermark Watermark(PartitionEventTime partition) =>
        new(partition.MaxEventTime is { } time ? Milliseconds(time) : null, partition.UpdatedAt, CaughtUp: true);

    private static long Milliseconds(DateTime time) => (long)(time - DateTime.UnixEpoch).TotalMilliseconds;

    private static DateTime Time(long milliseconds) => DateTime.UnixEpoch.AddMilliseconds(milliseconds);
}
