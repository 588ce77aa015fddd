using Aero.Warehouse.Windows;
using Xunit;

namespace Aero.Streams.Tests.Windows;

/// <summary>
/// Issue 17 §4 (an idle partition): a partition that stores nothing for the idle timeout leaves the watermark, so it
/// holds no window open past then; what it delivers afterwards for a final window is counted late, never lost. The
/// finalizer is given the time (a fake clock), read off the partitions' own <c>updated_at</c>: no waiting.
/// </summary>
public sealed class WindowIdlePartitionSpec
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(1);

    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    [InlineData("bigquery")]
    [InlineData("bigquery-load")]
    public async Task An_idle_partition_should_hold_windows_open_only_until_the_idle_timeout_and_its_later_records_count_late(string backend)
    {
        await using var scenario = await WindowScenario.OpenAsync(backend, WindowLatenessSpec.Settings(IdleTimeout));
        var finalizer = scenario.Finalizer();
        // Partition 2 is assigned and never delivers; partition 1 delivers once; partition 0 goes on.
        await scenario.Store.RegisterPartitionsAsync(WindowScenario.ClusterId, WindowScenario.Topic, [0, 1, 2]);
        await scenario.WriteAsync((1, [15]));
        await scenario.WriteAsync((0, [10, 20]));
        await scenario.WriteAsync((0, [200]));

        var partitions = (await scenario.Store.OverviewAsync(0)).Partitions.ToDictionary(p => p.Partition);
        var quietSince = new[] { partitions[1].UpdatedAt, partitions[2].UpdatedAt }.Max();
        Assert.True(partitions[0].UpdatedAt > quietSince, "partition 0 stored its last batch after the others fell quiet");

        // Before the idle timeout, the partition that delivered nothing holds every window open, and then the one
        // that delivered once holds the watermark at its own (15 - 10 minutes).
        var unheard = await finalizer.RunAsync(partitions[2].UpdatedAt + IdleTimeout - TimeSpan.FromMilliseconds(1), scenario.Logs);
        Assert.Empty(unheard.Finalized);
        Assert.Null(unheard.Watermark);
        var holding = await finalizer.RunAsync(quietSince + IdleTimeout - TimeSpan.FromMilliseconds(1), scenario.Logs);
        Assert.Empty(holding.Finalized);
        Assert.Equal(WindowScenario.At(5), holding.Watermark);
        Assert.Equal(0, await scenario.StatsFlightsAsync(0));

        // At the idle timeout, both quiet partitions leave the minimum: partition 0's watermark (190) alone decides.
        var closing = await finalizer.RunAsync(quietSince + IdleTimeout, scenario.Logs);
        Assert.Equal(WindowScenario.At(190), closing.Watermark);
        Assert.Equal(WindowScenario.At(0), Assert.Single(closing.Finalized).Window.Start);
        Assert.Equal(0, closing.SlowestPartition?.Partition);
        Assert.Equal(3, await scenario.StatsFlightsAsync(0));

        // The quiet partition speaks again, for the window already final: late, counted, and the window unchanged.
        await scenario.WriteAsync((1, [25, 40]));
        var late = await finalizer.RunAsync(quietSince + IdleTimeout, scenario.Logs);
        Assert.Equal(2, late.LateRecords);
        Assert.Equal([(0L, 1, 2L, 190L - 25L)], await scenario.LateAsync());
        Assert.Equal(3, await scenario.StatsFlightsAsync(0));
        Assert.Equal(0, (await scenario.Store.OverviewAsync(0)).PendingLate);
        if (!backend.StartsWith("bigquery", StringComparison.Ordinal))
        {
            Assert.Equal(0, await scenario.ScalarAsync($"SELECT count(*) FROM {WindowTables.Partials} WHERE kafka_partition = 1"));
        }
    }

    /// <summary>
    /// Issue 17 §4 (a worker SIGKILLed mid-window, the load lagging): a partition behind its log end in Kafka stored no
    /// batch for the idle timeout because nobody is loading it, not because it is quiet. It must hold the watermark
    /// however long that lasts, while a silent partition at its log end leaves it; once its records are stored, they
    /// are merged into their window, none late.
    /// </summary>
    [Theory]
    [InlineData("duckdb")]
    [InlineData("postgres")]
    [InlineData("bigquery")]
    [InlineData("bigquery-load")]
    public async Task A_partition_behind_its_log_end_should_hold_the_watermark_past_the_idle_timeout_while_a_caught_up_silent_one_does_not(string backend)
    {
        await using var scenario = await WindowScenario.OpenAsync(backend, WindowLatenessSpec.Settings(IdleTimeout));
        var finalizer = scenario.Finalizer();
        // Partition 1 is read to its end and falls quiet; partition 2's worker dies with 5 of its records unread.
        await scenario.Store.RegisterPartitionsAsync(WindowScenario.ClusterId, WindowScenario.Topic, [0, 1, 2]);
        await scenario.WriteAsync((1, [5]), (2, [12]));
        scenario.Produce(2, 5);
        await scenario.WriteAsync((0, [10, 20]));
        await scenario.WriteAsync((0, [200]));
        var partitions = (await scenario.Store.OverviewAsync(0)).Partitions.ToDictionary(p => p.Partition);
        var quietSince = partitions[2].UpdatedAt;

        // Long past the idle timeout, the lagging partition (watermark 12 - 10) still holds every window open; the
        // caught-up one (5 - 10) does not count any more.
        foreach (var silence in new[] { IdleTimeout, IdleTimeout * 10 })
        {
            var holding = await finalizer.RunAsync(quietSince + silence, scenario.Logs);
            Assert.Equal(WindowScenario.At(2), holding.Watermark);
            Assert.Empty(holding.Finalized);
            Assert.Equal(2, holding.SlowestPartition?.Partition);
        }

        // The survivor stores partition 2's records: read up to its end, silent for the timeout, it leaves the minimum,
        // and its window closes with every record in it.
        await scenario.WriteAsync((2, [30, 45, 50, 55, 58]));
        var caughtUpAt = (await scenario.Store.OverviewAsync(0)).Partitions.Single(p => p.Partition == 2).UpdatedAt;
        var closing = await finalizer.RunAsync(caughtUpAt + IdleTimeout, scenario.Logs);
        Assert.Equal(WindowScenario.At(190), closing.Watermark);
        Assert.Equal(WindowScenario.At(0), Assert.Single(closing.Finalized).Window.Start);
        Assert.Equal(0, closing.LateRecords);
        Assert.Equal(9, await scenario.StatsFlightsAsync(0));
        Assert.Empty(await scenario.LateAsync());
    }
}
