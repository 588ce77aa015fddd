using Aero.Streams.Windows;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace Aero.Streams.Tests.Windows;

/// <summary>Issue 17 §2 and §4: per-partition watermarks, their advance, idle partitions, and when a window closes.</summary>
public sealed class WatermarkSpec
{
    private const long OutOfOrderness = 600_000;
    private static readonly DateTime Now = new(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(1);

    [Property(MaxTest = 500)]
    public bool A_partitions_watermark_should_only_advance_and_be_the_highest_event_time_less_the_out_of_orderness_in_any_order(NonEmptyArray<long> times)
    {
        var values = new List<long?>();
        var watermark = PartitionWatermark.None(Now);
        foreach (var time in times.Get)
        {
            watermark = watermark.Observe(time, Now);
            values.Add(watermark.Value(OutOfOrderness));
        }

        var reversed = times.Get.Reverse().Aggregate(PartitionWatermark.None(Now), (w, t) => w.Observe(t, Now));
        return watermark.Value(OutOfOrderness) == times.Get.Max() - OutOfOrderness
            && reversed.Value(OutOfOrderness) == watermark.Value(OutOfOrderness)
            && values.Zip(values.Skip(1)).All(pair => pair.First <= pair.Second);
    }

    [Property(MaxTest = 500)]
    public bool The_topics_watermark_should_never_pass_a_partition_that_is_not_idle(NonEmptyArray<long> times, bool[] caughtUp, int[] silentSeconds)
    {
        var partitions = times.Get
            .Select((time, i) => new PartitionWatermark(time, Now.AddSeconds(-Math.Abs(silentSeconds.ElementAtOrDefault(i) % 120)), caughtUp.ElementAtOrDefault(i)))
            .ToList();

        var global = Watermarks.Global(partitions, OutOfOrderness, Now, IdleTimeout);

        var active = partitions.Where(p => !p.IsIdle(Now, IdleTimeout)).ToList();
        return active.Count == 0
            ? global == partitions.Max(p => p.Value(OutOfOrderness))
            : global == active.Min(p => p.Value(OutOfOrderness));
    }

    [Fact]
    public void An_idle_partition_should_leave_the_minimum_but_a_lagging_or_unheard_one_should_hold_it()
    {
        var busy = PartitionWatermark.None(Now).Observe(10_000_000, Now);
        var quiet = new PartitionWatermark(1_000_000, Now.AddMinutes(-5), CaughtUp: true);
        var lagging = quiet.WithCaughtUp(false);
        var unheard = PartitionWatermark.None(Now.AddMinutes(-5));

        Assert.Equal(10_000_000 - OutOfOrderness, Watermarks.Global([busy, quiet], OutOfOrderness, Now, IdleTimeout));
        Assert.Equal(1_000_000 - OutOfOrderness, Watermarks.Global([busy, lagging], OutOfOrderness, Now, IdleTimeout));
        Assert.Null(Watermarks.Global([busy, unheard], OutOfOrderness, Now, IdleTimeout));
        Assert.Equal(10_000_000 - OutOfOrderness, Watermarks.Global([busy, unheard.WithCaughtUp(true)], OutOfOrderness, Now, IdleTimeout));
        // Every partition idle: all there is has been seen.
        Assert.Equal(1_000_000 - OutOfOrderness, Watermarks.Global([quiet, unheard.WithCaughtUp(true)], OutOfOrderness, Now, IdleTimeout));
    }

    [Fact]
    public void A_window_should_close_when_the_watermark_reaches_its_end_plus_the_allowed_lateness()
    {
        var window = new EventWindow(0, 3_600_000);

        Assert.False(Watermarks.Closes(window, 3_599_999, 0));
        Assert.True(Watermarks.Closes(window, 3_600_000, 0));
        Assert.False(Watermarks.Closes(window, 3_600_000, 60_000));
        Assert.True(Watermarks.Closes(window, 3_660_000, 60_000));
        Assert.False(Watermarks.Closes(window, null, 0));
    }
}
