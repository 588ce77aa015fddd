using Aero.Streams.Warehouse;
using Xunit;

namespace Aero.Streams.Tests.Warehouse;

/// <summary>The conformance suite on DuckDB, and what only DuckDB's writer does.</summary>
public sealed class DuckDbConformanceSpec : WarehouseConformance, IDisposable
{
    private readonly DuckDbTestStore _store = new();

    protected override Task<IWarehouse> OpenAsync() => _store.OpenAsync();

    protected override Task CreateOlderFlightsTableAsync(IReadOnlyList<FlightColumn> columns, LoadRow row) => _store.CreateOlderFlightsTableAsync(columns, row);

    [Fact]
    public async Task Writes_of_stored_events_should_leave_only_the_last_group_in_the_staging_table()
    {
        await using var warehouse = await OpenAsync();
        await warehouse.WriteAsync(Batch(Cluster, [Row("e1", 0, 0), Row("e2", 0, 1), Row("e3", 0, 2)], next: [(Topic, 0, 3)]));

        // Each holds a stored event, so it goes through the staging table. DuckDB never reclaims a temporary table's deleted
        // rows: emptied with DELETE, the table kept every row ever staged, and each insert scanned them all.
        await warehouse.WriteAsync(Batch(Cluster, [Row("e1", 0, 3), Row("e4", 0, 4), Row("e5", 0, 5)], next: [(Topic, 0, 6)]));
        var last = await warehouse.WriteAsync(Batch(Cluster, [Row("e2", 0, 6), Row("e6", 0, 7)], next: [(Topic, 0, 8)]));

        Assert.Equal(new WriteResult(1, 1, 0), last);
        var staged = await warehouse.QueryAsync("SELECT estimated_size FROM duckdb_tables() WHERE table_name = '_aero_batch'");
        Assert.Equal(2L, Convert.ToInt64(staged.Rows.Single()[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(6, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
    }

    [Fact]
    public async Task A_batch_written_again_should_store_its_row_and_dead_letter_once()
    {
        await using var warehouse = await OpenAsync();
        var letter = new DeadLetter([0xC3, 0x28], "undecodable flight record: not UTF-8", new KafkaPosition(Topic, 0, 1, DateTime.UtcNow));
        var batch = new LoadBatch(Cluster, [Row("e1", 0, 0)], [letter], new Dictionary<(string, int), long> { [(Topic, 0)] = 2 });

        await warehouse.WriteAsync(batch);
        var again = await warehouse.WriteAsync(batch);

        Assert.Equal(new WriteResult(0, 1, 1), again);
        Assert.Equal((1L, 1L), (await warehouse.CountAsync(WarehouseTables.FlightsRaw), await warehouse.CountAsync(WarehouseTables.DeadLetters)));
    }

    [Fact]
    public async Task A_stored_event_behind_thousands_of_new_ones_should_be_left_out_and_the_new_ones_stored()
    {
        await using var warehouse = await OpenAsync();
        await warehouse.WriteAsync(Batch(Cluster, [Row("stored", 0, 0)], next: [(Topic, 0, 1)]));
        // More rows than one of DuckDB's vectors (2,048), the stored event last.
        var rows = Enumerable.Range(1, 5000).Select(i => Row($"new-{i}", 0, i)).Append(Row("stored", 0, 5001)).ToList();

        var result = await warehouse.WriteAsync(Batch(Cluster, rows, next: [(Topic, 0, 5002)]));

        Assert.Equal(new WriteResult(5000, 1, 0), result);
        Assert.Equal(5001, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(new Dictionary<int, long> { [0] = 5002 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
    }

    public void Dispose() => _store.Dispose();
}
