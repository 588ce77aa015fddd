using Aero.Warehouse;
using Aero.Warehouse.BigQuery;
using Aero.Warehouse.Windows;
using Xunit;

namespace Aero.Streams.Tests.Windows;

/// <summary>
/// BigQuery has no transaction around a batch's rows and its partials: a batch's partials count only once its batch row
/// (stored last, with the partition's next offset) is there, and the replay of a batch cut short counts again the rows
/// the first attempt stored, so each stored flight is in its windows exactly once.
/// </summary>
public sealed class BigQueryWindowReplaySpec
{
    [Theory]
    [InlineData("bigquery")]
    [InlineData("bigquery-load")]
    public async Task A_batch_cut_short_before_its_batch_row_should_count_its_flights_once_when_replayed_over_a_longer_range(string backend)
    {
        await using var scenario = await WindowScenario.OpenAsync(backend, WindowLatenessSpec.Settings(TimeSpan.FromHours(1)));
        var warehouse = (BigQueryWarehouse)scenario.Warehouse;
        await scenario.WriteAsync((0, [10, 20, 30]));
        await scenario.WriteAsync((0, [40, 50]));
        // Cut short: its rows and partials are stored, its batch row (offsets 3 to 5) is not.
        Assert.Equal(1, await warehouse.ExecuteDmlAsync("DELETE FROM _aero_window_batches WHERE first_offset = 3"));
        Assert.Equal(3, (await warehouse.StoredPositionsAsync(WindowScenario.ClusterId, WindowScenario.Topic))[0].NextOffset);
        Assert.Equal(["0:3"], (await scenario.Store.OverviewAsync(0)).Partitions.Select(p => $"{p.Partition}:{p.NextOffset}"));

        // The replay starts at offset 3 again and reaches one record further: 40 and 50 are stored already, from
        // these very positions, so they count with this batch; 55 is new.
        scenario.Rewind(0, 3);
        await scenario.WriteAsync((0, [40, 50, 55]));
        await scenario.WriteAsync((0, [200]));
        Assert.Equal(7, await warehouse.CountAsync(WarehouseTables.FlightsRaw));

        var finishing = await scenario.Finalizer().FinishInputAsync();
        Assert.Equal(0, finishing.LateRecords);
        Assert.Equal(6, await scenario.StatsFlightsAsync(0));
        Assert.Equal(1, await scenario.StatsFlightsAsync(180));
        Assert.Equal(6, await scenario.ScalarAsync($"SELECT sum(flights) FROM {WindowTables.Stats} WHERE dimension = 'origin' AND window_start < TIMESTAMP '2024-03-03 01:00:00'"));
        Assert.Equal(0, (await scenario.Store.OverviewAsync(0)).PendingLate);
    }
}
