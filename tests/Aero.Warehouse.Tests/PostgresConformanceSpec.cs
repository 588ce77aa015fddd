using System.Globalization;
using Xunit;

namespace Aero.Warehouse.Tests;

/// <summary>The conformance suite on PostgreSQL, one fresh schema per test.</summary>
public sealed class PostgresConformanceSpec : WarehouseConformance
{
    private PostgresTestStore? _store;

    private PostgresTestStore Store => _store ?? throw new InvalidOperationException("InitializeAsync has not run");

    public override async Task InitializeAsync() => _store = await PostgresTestStore.CreateAsync();

    public override async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    protected override Task<IWarehouse> OpenAsync() => Store.OpenAsync();

    protected override void AssertIsTheBreak(Exception error)
    {
        var postgres = Assert.IsType<Npgsql.PostgresException>(error);
        Assert.Equal(("23502", "dlq", "reason"), (postgres.SqlState, postgres.TableName, postgres.ColumnName));
    }

    protected override string RefusalReason => "23502: null value in column \"flight_id\"";

    // issue 13 §2: fields the record does not know reach jsonb unread; what jsonb cannot hold is PostgreSQL's to refuse.
    [Fact]
    public async Task Raw_records_jsonb_cannot_hold_should_be_dead_lettered_with_PostgreSQLs_reason()
    {
        await using var warehouse = await OpenAsync();
        LoadRow WithExtra(string eventId, long offset, string extra)
        {
            var row = Row(eventId, 0, offset);
            return row with { RawJson = row.RawJson[..^1] + ",\"extra\":" + extra + "}" };
        }

        var result = await warehouse.WriteAsync(Batch(Cluster, [Row("e0", 0, 0), WithExtra("surrogate", 1, "\"\\ud800\""), WithExtra("huge", 2, "1e1000000"), Row("e3", 0, 3)], next: [(Topic, 0, 4)]));

        Assert.Equal(new WriteResult(2, 0, 2, Refused: 2), result);
        var reasons = (await warehouse.QueryAsync("SELECT kafka_offset, reason FROM dlq ORDER BY kafka_offset")).Rows
            .Select(r => (Convert.ToInt64(r[0], CultureInfo.InvariantCulture), ((string)r[1]!)[..(RefusedRows.ReasonPrefix.Length + 5)])).ToList();
        Assert.Equal([(1L, RefusedRows.ReasonPrefix + "22P02"), (2L, RefusedRows.ReasonPrefix + "22003")], reasons);
        Assert.Equal(new Dictionary<int, long> { [0] = 4 }, await warehouse.StoredOffsetsAsync(Cluster, Topic));
    }

    protected override Task CreateOlderFlightsTableAsync(IReadOnlyList<FlightColumn> columns, LoadRow row) => Store.CreateOlderFlightsTableAsync(columns, row);
}
