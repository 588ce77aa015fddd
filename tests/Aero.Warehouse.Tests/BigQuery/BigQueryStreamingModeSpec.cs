using Aero.FakeBigQuery;
using Aero.Warehouse.BigQuery;
using Xunit;
using static Aero.Warehouse.Tests.BigQuery.BigQueryTestData;

namespace Aero.Warehouse.Tests.BigQuery;

public sealed class BigQueryStreamingModeSpec : FakeBigQuerySpec
{
    private const string InsertAll = "bigquery.tabledata.insertAll";
    [Fact]
    public async Task Streamed_rows_should_be_queryable_in_the_dedupe_view_with_their_offsets()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake, BigQueryWriteMode.Streaming));

        var first = await warehouse.WriteAsync(Batch([.. Rows(0, 0, 10), .. Rows(1, 0, 5)], [Letter(0, 10), Letter(2, 0)]));
        var second = await warehouse.WriteAsync(Batch([Row(0, 11, "event-0-0"), .. Rows(0, 12, 3)]));

        Assert.Equal(new WriteResult(15, 0, 2), first);
        // Offset 11 repeats the event of offset 0: found stored, and left out.
        Assert.Equal(new WriteResult(3, 1, 0), second);
        Assert.Equal(18, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(18, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(2, await warehouse.CountAsync(WarehouseTables.DeadLetters));
        Assert.Equal(Offsets((0, 15), (1, 5), (2, 1)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
        Assert.Equal(0, Fake.Stats.LoadJobs(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
    }

    // issue 13 §2: BigQuery refuses streamed rows whose partitioning date is more than ten years back (or a year
    // ahead): a 2001 flight is good data, so its partition goes through a load job, and nothing is dead-lettered.
    [Fact]
    public async Task Rows_outside_the_streaming_window_should_be_loaded_by_a_load_job_not_dead_lettered()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake, BigQueryWriteMode.Streaming));
        var old = Rows(0, 0, 5).Select(r => r with { Flight = r.Flight with { Timestamp = new DateTime(2001, 1, 1, 6, 55, 0, DateTimeKind.Utc) } });

        var result = await warehouse.WriteAsync(Batch([.. old, .. Rows(1, 0, 5)], [Letter(0, 5)]));

        Assert.Equal(new WriteResult(10, 0, 1), result);
        Assert.Equal(10, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(1, await warehouse.CountAsync(WarehouseTables.DeadLetters));
        Assert.Equal(1, Fake.Stats.LoadJobs(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(Offsets((0, 6), (1, 5)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
    }

    // issue 13 §2: for minutes after a schema patch, insertAll knows nothing of the new columns; rows that use them are
    // loaded by a load job instead of being dead-lettered.
    [Fact]
    public async Task Rows_using_columns_added_moments_ago_should_be_loaded_by_a_load_job_not_dead_lettered()
    {
        await using (var client = await BigQueryTestClient.CreateAsync(Settings(Fake)))
        {
            var table = new TableReference(ProjectId, DatasetId, WarehouseTables.FlightsRaw);
            await client.Client.InsertDatasetAsync(new Dataset(new DatasetReference(ProjectId, DatasetId), "US"), CancellationToken.None);
            await client.Client.InsertTableAsync(
                new Table(table, new TableSchema([.. BigQueryRows.FlightsRawFields.Where(f => f.Name != "status")]), new TimePartitioning("DAY", "timestamp")),
                CancellationToken.None);
        }

        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake, BigQueryWriteMode.Streaming));
        var rows = Rows(0, 0, 6).Select((r, i) => i % 2 == 0 ? r with { Flight = r.Flight with { Status = "landed" } } : r);

        var result = await warehouse.WriteAsync(Batch([.. rows, .. Rows(1, 0, 3)]));

        Assert.Equal(new WriteResult(9, 0, 0), result);
        Assert.Equal(0, await warehouse.CountAsync(WarehouseTables.DeadLetters));
        Assert.Equal(3L, (await warehouse.QueryAsync("SELECT COUNT(*) FROM flights_raw_dedup WHERE status = 'landed'")).Rows.Single()[0]);
        Assert.Equal(Offsets((0, 6), (1, 3)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
    }

    // issue 13 §2: the insertId carries the Kafka cluster id, as the load job ids do: another cluster's records at
    // the same topic, partition and offsets are other records, not re-sent ones.
    [Fact]
    public async Task Rows_of_another_Kafka_cluster_at_the_same_offsets_should_all_be_stored()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake, BigQueryWriteMode.Streaming));
        await warehouse.WriteAsync(Batch(Rows(0, 0, 10), clusterId: "cluster-a"));
        var others = Rows(0, 0, 10).Select(r => r with { Flight = r.Flight with { EventId = "b-" + r.Flight.EventId } });

        var result = await warehouse.WriteAsync(Batch(others, clusterId: "cluster-b"));

        Assert.Equal(new WriteResult(10, 0, 0), result);
        Assert.Equal(20, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(Offsets((0, 10)), await warehouse.StoredOffsetsAsync("cluster-b", Topic));
    }

    [Fact]
    public async Task A_replayed_batch_should_not_add_rows_to_the_dedupe_view()
    {
        var batch = Batch(Rows(0, 0, 30));
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake, BigQueryWriteMode.Streaming));

        await warehouse.WriteAsync(batch);
        await warehouse.WriteAsync(batch);

        Assert.Equal(30, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(Offsets((0, 30)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
    }

    [Fact]
    public async Task Requests_should_respect_max_rows_and_max_bytes()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake, BigQueryWriteMode.Streaming).WithStreamingLimits(7, 9 * 1024 * 1024));

        await warehouse.WriteAsync(Batch(Rows(0, 0, 20)));

        // 19 rows in requests of at most 7, then the last row alone (it carries the next offset).
        Assert.Equal(4, Fake.Stats.Requests(InsertAll));
        Assert.Equal(20, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
    }

    [Fact]
    public async Task A_request_too_large_should_be_halved_until_it_fits_and_a_row_too_large_alone_dead_lettered()
    {
        await using var fake = await FakeBigQueryServer.StartAsync(new FakeBigQueryOptions { MaxInsertAllRows = 10, MaxInsertAllBytes = 8 * 1024 });
        // Configured for more rows than the server takes; its byte limit is the server's.
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(fake, BigQueryWriteMode.Streaming).WithStreamingLimits(40, 8 * 1024));

        // Offset 30 is a record larger than a whole request may be: it can only be dead-lettered.
        var huge = Row(0, 30) with { RawJson = new string('x', 9 * 1024) };
        var result = await warehouse.WriteAsync(Batch([.. Rows(0, 0, 30), huge, .. Rows(0, 31, 30)]));

        Assert.Equal(new WriteResult(60, 0, 1), result);
        Assert.Equal(60, fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        var letter = Assert.Single((await warehouse.QueryAsync("SELECT kafka_offset, reason FROM dlq")).Rows);
        Assert.Equal(30L, letter[0]);
        Assert.Contains("too large", (string)letter[1]!, StringComparison.Ordinal);
        Assert.Contains("payload cut", (string)letter[1]!, StringComparison.Ordinal);
        Assert.Equal(Offsets((0, 61)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
        Assert.Empty(fake.ContractViolations);
    }

    [Fact]
    public async Task Invalid_rows_should_go_to_the_dlq_with_their_reason_and_stopped_rows_be_sent_again()
    {
        // flights_raw as an older deployment made it: delay as INTEGER. A fractional delay no longer fits.
        await using (var client = await BigQueryTestClient.CreateAsync(Settings(Fake)))
        {
            await client.Client.InsertDatasetAsync(new Dataset(new DatasetReference(ProjectId, DatasetId), "US"), CancellationToken.None);
            var fields = BigQueryRows.FlightsRawFields.Select(f => f.Name == "delay" ? f with { Type = "INTEGER" } : f).ToList();
            await client.Client.InsertTableAsync(new Table(new TableReference(ProjectId, DatasetId, WarehouseTables.FlightsRaw), new TableSchema(fields)), CancellationToken.None);
        }

        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake, BigQueryWriteMode.Streaming));
        var rows = Enumerable.Range(0, 12).Select(i => Row(0, i, delay: i is 3 or 11 ? 2.5 : 4)).ToList();

        var result = await warehouse.WriteAsync(Batch(rows));

        Assert.Equal(new WriteResult(10, 0, 2), result);
        Assert.Equal(10, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        var letters = await warehouse.QueryAsync("SELECT kafka_offset, reason FROM dlq ORDER BY kafka_offset");
        Assert.Equal([3L, 11L], letters.Rows.Select(r => r[0]));
        Assert.All(letters.Rows, r => Assert.StartsWith("BigQuery rejected the row: invalid", (string)r[1]!, StringComparison.Ordinal));
        // The last row was invalid: its dead letter carries the partition's next offset.
        Assert.Equal(Offsets((0, 12)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
    }

    [Fact]
    public async Task A_storm_of_429s_should_be_ridden_out_with_the_same_insert_ids()
    {
        for (var i = 0; i < 8; i++)
        {
            Fake.Faults.Enqueue(InsertAll, FakeFault.Status(429, "rateLimitExceeded", "Exceeded rate limits: too many requests"));
        }

        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake, BigQueryWriteMode.Streaming));
        var result = await warehouse.WriteAsync(Batch(Rows(0, 0, 25)));

        Assert.Equal(25, result.Inserted);
        Assert.Equal(0, Fake.Faults.Pending(InsertAll));
        Assert.Equal(25, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
    }

    [Fact]
    public async Task A_request_carried_out_but_answered_with_503_should_be_sent_again_and_not_doubled()
    {
        Fake.Faults.Enqueue(InsertAll, FakeFault.AcceptThenFail(503, "backendError"));
        Fake.Faults.Enqueue(InsertAll, FakeFault.HtmlStatus(502));
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake, BigQueryWriteMode.Streaming));

        await warehouse.WriteAsync(Batch(Rows(0, 0, 25)));

        // insertId dedupe absorbs the resend; were it to miss, the view would still count 25.
        Assert.Equal(25, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(25, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
    }
}
