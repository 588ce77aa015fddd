using System.Globalization;
using Aero.Kafka.Messages;
using Xunit;

namespace Aero.Warehouse.Tests;

/// <summary>The conformance suite on DuckDB, and what only DuckDB's writer does.</summary>
public sealed class DuckDbConformanceSpec : WarehouseConformance, IDisposable
{
    private readonly DuckDbTestStore _store = new();

    protected override Task<IWarehouse> OpenAsync() => _store.OpenAsync();

    protected override void AssertIsTheBreak(Exception error)
    {
        var duck = Assert.IsType<DuckDB.NET.Data.DuckDBException>(error);
        Assert.Equal(DuckDB.NET.Native.DuckDBErrorType.Constraint, duck.ErrorType);
        Assert.Contains("dlq.reason", duck.Message, StringComparison.Ordinal);
    }

    protected override string RefusalReason => "flight_id";

    protected override Task CreateOlderFlightsTableAsync(IReadOnlyList<FlightColumn> columns, LoadRow row) => _store.CreateOlderFlightsTableAsync(columns, row);

    [Fact]
    public async Task Writes_of_stored_events_should_leave_no_staging_table_behind()
    {
        await using var warehouse = await OpenAsync();
        await warehouse.WriteAsync(Batch(Cluster, [Row("e1", 0, 0), Row("e2", 0, 1), Row("e3", 0, 2)], next: [(Topic, 0, 3)]));

        // Each holds a stored event, found through the staged event ids. DuckDB never reclaims a temporary table's deleted
        // rows: emptied with DELETE, the table kept every row ever staged, and each insert scanned them all.
        await warehouse.WriteAsync(Batch(Cluster, [Row("e1", 0, 3), Row("e4", 0, 4), Row("e5", 0, 5)], next: [(Topic, 0, 6)]));
        var last = await warehouse.WriteAsync(Batch(Cluster, [Row("e2", 0, 6), Row("e6", 0, 7)], next: [(Topic, 0, 8)]));

        Assert.Equal(new WriteResult(1, 1, 0), last);
        var staged = await warehouse.QueryAsync("SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE '_aero_batch%'");
        Assert.Equal(0L, Convert.ToInt64(staged.Rows.Single()[0], CultureInfo.InvariantCulture));
        Assert.Equal(6, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
    }

    [Fact]
    public async Task A_column_added_to_the_table_by_hand_should_get_its_default()
    {
        await using (var first = await OpenAsync())
        {
            await first.QueryAsync("CREATE SEQUENCE row_numbers; ALTER TABLE flights_raw ADD COLUMN row_number BIGINT DEFAULT nextval('row_numbers')");
        }

        await using var warehouse = await OpenAsync();
        await warehouse.WriteAsync(Batch(Cluster, [Row("e1", 0, 0), Row("e2", 0, 1)], next: [(Topic, 0, 2)]));

        var numbers = await warehouse.QueryAsync("SELECT row_number FROM flights_raw ORDER BY row_number");
        Assert.Equal([1L, 2L], numbers.Rows.Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task A_batch_written_again_should_store_its_row_and_dead_letter_once()
    {
        await using var warehouse = await OpenAsync();
        var letter = new DeadLetter([0xC3, 0x28], "undecodable flight record: not UTF-8", new KafkaPosition(Topic, 0, 1, DateTime.UtcNow));
        var batch = new LoadBatch(Cluster, [Row("e1", 0, 0)], [letter], Next((Topic, 0, 2)));

        // Stored once without its offsets (with them, a second write would be a stale writer's and kept out whole).
        await warehouse.WriteAsync(batch with { NextOffsets = Next() });
        var again = await warehouse.WriteAsync(batch);

        Assert.Equal(new WriteResult(0, 1, 1), again);
        Assert.Equal((1L, 1L), (await warehouse.CountAsync(WarehouseTables.FlightsRaw), await warehouse.CountAsync(WarehouseTables.DeadLetters)));
    }

    [Fact]
    public async Task A_stored_event_behind_more_rows_than_DuckDB_appends_at_once_should_be_left_out_and_the_rest_stored()
    {
        await using var warehouse = await OpenAsync();
        await warehouse.WriteAsync(Batch(Cluster, [Row("stored", 0, 0)], next: [(Topic, 0, 1)]));
        // The appender hands DuckDB 204,800 rows at a time: the stored event fails the append before its end.
        const int fresh = 210_000;
        var rows = Enumerable.Range(1, fresh).Select(i => Row($"new-{i}", 0, i)).Prepend(Row("stored", 0, fresh + 1)).ToList();

        var result = await warehouse.WriteAsync(Batch(Cluster, rows, next: [(Topic, 0, fresh + 2)]));

        Assert.Equal(new WriteResult(fresh, 1, 0), result);
        Assert.Equal(fresh + 1, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(new Dictionary<int, long> { [0] = fresh + 2 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
    }

    // issue 16 §1: a checkpoint rewrote flights_raw's whole key index while no commit could happen, longer as the
    // table grew. Uniqueness is kept by the lookup within event days instead (the conformance suite proves it exact).
    [Fact]
    public async Task Flights_raw_and_flights_should_have_no_index_for_a_checkpoint_to_rewrite()
    {
        await using var warehouse = await OpenAsync();

        var keys = await warehouse.QueryAsync(
            "SELECT table_name, constraint_type FROM duckdb_constraints() WHERE table_name IN ('flights_raw', 'flights') AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')");
        var indexes = await warehouse.QueryAsync("SELECT index_name FROM duckdb_indexes() WHERE table_name IN ('flights_raw', 'flights')");

        Assert.Empty(keys.Rows);
        Assert.Empty(indexes.Rows);
    }

    // issue 16 §1: the lookup reads only the row groups of the group's event days; a stored event in a row group of
    // its own (DuckDB's groups hold 122,880 rows), far from the days around it, is found all the same.
    [Fact]
    public async Task A_stored_event_in_an_older_row_group_should_be_found_by_its_day()
    {
        await using var warehouse = await OpenAsync();
        var first = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        const int older = 130_000;
        var rows = Enumerable.Range(0, older).Select(i => Row($"old-{i}", 0, i, timestamp: first.AddMinutes(i))).ToList();
        await warehouse.WriteAsync(Batch(Cluster, rows, next: [(Topic, 0, older)]));
        await warehouse.WriteAsync(Batch(Cluster, [Row("late", 0, older, timestamp: first.AddYears(5))], next: [(Topic, 0, older + 1)]));

        var again = await warehouse.WriteAsync(Batch(
            Cluster,
            [Row("old-7", 1, 0, timestamp: first.AddMinutes(7)), Row("late", 1, 1, timestamp: first.AddYears(5)), Row("old-129999", 1, 2, timestamp: first.AddMinutes(129_999)), Row("new", 1, 3, timestamp: first.AddYears(5))],
            next: [(Topic, 1, 4)]));

        Assert.Equal(new WriteResult(1, 3, 0), again);
        Assert.Equal(older + 2, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
    }

    public void Dispose() => _store.Dispose();
}
