using Aero.FakeBigQuery;
using Aero.Warehouse.BigQuery;
using Xunit;

namespace Aero.Warehouse.Tests.BigQuery;

/// <summary>The conformance suite on BigQuery (load mode, the default), one fake server per test.</summary>
public sealed class BigQueryConformanceSpec : WarehouseConformance
{
    private FakeBigQueryServer? _fake;

    private FakeBigQueryServer Fake => _fake ?? throw new InvalidOperationException("InitializeAsync has not run");

    private BigQuerySettings Settings => BigQueryTestData.Settings(Fake);

    public override async Task InitializeAsync() => _fake = await FakeBigQueryServer.StartAsync();

    public override async Task DisposeAsync()
    {
        if (_fake is not null)
        {
            Assert.Empty(_fake.ContractViolations);
            await _fake.DisposeAsync();
        }
    }

    protected override async Task<IWarehouse> OpenAsync() => await BigQueryWarehouse.OpenAsync(Settings);

    /// <summary>
    /// BigQuery has no transaction across tables: the dead letters' job runs first, so the flights job is what fails
    /// (its insert refused), and the dead letters stay, carrying no offset; the retry adopts their job.
    /// </summary>
    protected override Task<LoadBatch> BreakAfterItsRowsAsync(LoadBatch batch)
    {
        Fake.Faults.Enqueue("bigquery.jobs.insert", FakeFault.Delay(TimeSpan.Zero));
        Fake.Faults.Enqueue("bigquery.jobs.insert", FakeFault.Status(400, "invalid", "Scripted refusal of the flights job"));
        return Task.FromResult(batch);
    }

    protected override long DeadLettersLeftByAFailedWrite => 1;

    protected override void AssertIsTheBreak(Exception error)
    {
        var bigQuery = Assert.IsType<BigQueryException>(error);
        Assert.Equal((400, "invalid"), (bigQuery.HttpStatus, bigQuery.Reason));
        Assert.Contains("Scripted refusal of the flights job", bigQuery.Message, StringComparison.Ordinal);
    }

    protected override bool RacingWritersStoreOnce => false;

    protected override string RefusalReason => "Missing required field: flight_id.";

    protected override async Task CreateOlderFlightsTableAsync(IReadOnlyList<FlightColumn> columns, LoadRow row)
    {
        await using var client = await BigQueryTestClient.CreateAsync(Settings);
        var table = new TableReference(BigQueryTestData.ProjectId, BigQueryTestData.DatasetId, WarehouseTables.FlightsRaw);
        await client.Client.InsertDatasetAsync(new Dataset(new DatasetReference(table.ProjectId, table.DatasetId), "US"), CancellationToken.None);
        var fields = columns.Select(c => new TableFieldSchema(c.Name, TypeOf(c.Type), c.Nullable ? "NULLABLE" : "REQUIRED")).ToList();
        await client.Client.InsertTableAsync(new Table(table, new TableSchema(fields)), CancellationToken.None);

        var json = new System.Text.Json.Nodes.JsonObject();
        foreach (var column in columns)
        {
            json[column.Name] = column.Value(row, DateTime.UtcNow) switch
            {
                null => null,
                DateTime time => BigQueryRows.Timestamp(time),
                var value => System.Text.Json.Nodes.JsonValue.Create(value.ToString()),
            };
        }

        var response = await client.Client.InsertAllAsync(table, [new StreamedRow("older", System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()))], CancellationToken.None);
        Assert.Null(response.InsertErrors);
    }

    private static string TypeOf(FlightColumnType type) => type switch
    {
        FlightColumnType.Int4 or FlightColumnType.BigInt => "INTEGER",
        FlightColumnType.Float8 => "FLOAT",
        FlightColumnType.Timestamp => "TIMESTAMP",
        _ => "STRING",
    };
}
