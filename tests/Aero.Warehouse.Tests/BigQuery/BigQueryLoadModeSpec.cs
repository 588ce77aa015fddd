using Aero.FakeBigQuery;
using Aero.Warehouse.BigQuery;
using Xunit;
using static Aero.Warehouse.Tests.BigQuery.BigQueryTestData;

namespace Aero.Warehouse.Tests.BigQuery;

public sealed class BigQueryLoadModeSpec : FakeBigQuerySpec
{
    [Fact]
    public async Task Load_jobs_should_store_rows_and_dead_letters_with_the_offsets_they_advance_to()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));

        var first = await warehouse.WriteAsync(Batch([.. Rows(0, 0, 10), .. Rows(1, 0, 5)], [Letter(0, 10), Letter(2, 0)]));
        var second = await warehouse.WriteAsync(Batch(Rows(0, 11, 4)));

        Assert.Equal(new WriteResult(15, 0, 2), first);
        Assert.Equal(new WriteResult(4, 0, 0), second);
        Assert.Equal(19, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(2, await warehouse.CountAsync(WarehouseTables.DeadLetters));
        // Partition 0 ended its first batch on a dead letter, partition 2 had nothing else: both advance all the same.
        Assert.Equal(Offsets((0, 15), (1, 5), (2, 1)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
        Assert.Empty(await warehouse.StoredOffsetsAsync("another-cluster", Topic));
        Assert.Empty(await warehouse.StoredOffsetsAsync(ClusterId, "another-topic"));
        Assert.Equal(3, Fake.Stats.LoadJobs(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
    }

    // issue 13 §2: a load job that refuses rows says which (errors[], by byte position): those are dead-lettered at
    // once, rather than splitting the batch into a job per half (each waiting for load-interval).
    [Fact]
    public async Task Rows_a_load_job_refuses_should_be_found_from_its_errors_without_splitting_the_batch()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        var rows = Rows(0, 0, 20).Select(r => r.Position.Offset is 7 or 15 ? r with { Flight = r.Flight with { FlightId = null! } } : r).ToList();

        var result = await warehouse.WriteAsync(Batch(rows));

        Assert.Equal(new WriteResult(18, 0, 2, Refused: 2), result);
        Assert.Equal(2, Fake.Stats.LoadJobs(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        var letters = await warehouse.QueryAsync("SELECT kafka_offset, reason FROM dlq ORDER BY kafka_offset");
        Assert.Equal([7L, 15L], letters.Rows.Select(r => (long)r[0]!));
        Assert.All(letters.Rows, r => Assert.Contains("Missing required field: flight_id.", (string)r[1]!, StringComparison.Ordinal));
        Assert.Equal(Offsets((0, 20)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
    }

    [Fact]
    public async Task An_event_stored_already_or_twice_in_a_batch_should_be_stored_once_from_its_first_offset()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        await warehouse.WriteAsync(Batch([Row(0, 0, "stored")]));

        var result = await warehouse.WriteAsync(Batch([Row(0, 1, "stored"), Row(0, 3, "twice"), Row(0, 2, "twice"), Row(0, 4, "once")]));

        Assert.Equal(new WriteResult(2, 2, 0), result);
        var rows = await warehouse.QueryAsync("SELECT event_id, kafka_offset FROM flights_raw ORDER BY kafka_offset");
        Assert.Equal([("stored", 0L), ("twice", 2L), ("once", 4L)], rows.Rows.Select(r => ((string)r[0]!, (long)r[1]!)));
        Assert.Equal(Offsets((0, 5)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
    }

    [Fact]
    public async Task A_duplicate_that_got_into_flights_raw_should_count_once_in_the_dedupe_view()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        await warehouse.WriteAsync(Batch([Row(0, 0, "twice"), Row(0, 1, "once")]));
        // What two writers racing past the existence check can leave behind.
        await using (var client = await BigQueryTestClient.CreateAsync(Settings(Fake)))
        {
            var duplicate = new StreamedRow("race", BigQueryRows.Flight(Row(1, 7, "twice"), ClusterId, null, DateTime.UtcNow));
            await client.Client.InsertAllAsync(new TableReference(ProjectId, DatasetId, WarehouseTables.FlightsRaw), [duplicate], CancellationToken.None);
        }

        Assert.Equal(3, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(2, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        var kept = await warehouse.QueryAsync("SELECT kafka_partition, kafka_offset FROM flights_raw_dedup WHERE event_id = 'twice'");
        Assert.Equal([0L, 0L], Assert.Single(kept.Rows));
    }

    [Fact]
    public async Task A_partition_with_nothing_new_to_store_should_still_advance_its_offset()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        await warehouse.WriteAsync(Batch(Rows(0, 0, 3)));

        // The same events again at later offsets (produced twice), and a partition with offsets only.
        var batch = new LoadBatch(ClusterId, [Row(0, 3, "event-0-0"), Row(0, 4, "event-0-1")], [], new Dictionary<(string, int), long> { [(Topic, 0)] = 5, [(Topic, 1)] = 9 });
        var result = await warehouse.WriteAsync(batch);

        Assert.Equal(new WriteResult(0, 2, 0), result);
        Assert.Equal(Offsets((0, 5), (1, 9)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
        Assert.Equal(2, await warehouse.CountAsync(WarehouseTables.Offsets));
        Assert.Equal(3, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
    }

    [Fact]
    public async Task A_replayed_batch_whose_offsets_are_stored_should_load_nothing_again_and_say_so()
    {
        var batch = Batch(Rows(0, 100, 50), [Letter(0, 150)]);
        await using (var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake)))
        {
            await warehouse.WriteAsync(batch);
        }

        // The same records again, from a writer that missed that they are stored (issue 13 §2: a stale writer).
        await using var restarted = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        var again = await restarted.WriteAsync(batch);

        Assert.Equal(new WriteResult(0, 0, 0, Fenced: 51), again);
        Assert.Equal(50, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(1, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.DeadLetters));
        Assert.Equal(0, Fake.Stats.ConflictsServed);
        Assert.Equal(1, Fake.Stats.LoadJobs(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(Offsets((0, 151)), await restarted.StoredOffsetsAsync(ClusterId, Topic));
    }

    [Fact]
    public async Task Two_writers_of_the_same_records_should_load_them_once_and_agree_on_who_did()
    {
        await using var first = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        await using var second = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        var rows = Rows(2, 0, 200).ToList();

        // As after a rebalance: the old and the new owner both load the same records, in opposite orders.
        var results = await Task.WhenAll(
            Task.Run(() => first.WriteAsync(Batch(rows))),
            Task.Run(() => second.WriteAsync(Batch(Enumerable.Reverse(rows)))));

        Assert.Equal(200, results.Sum(r => r.Inserted));
        Assert.Equal(200, results.Sum(r => r.AlreadyStored));
        Assert.Equal(200, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(Offsets((2, 200)), await first.StoredOffsetsAsync(ClusterId, Topic));
    }

    [Fact]
    public async Task Opening_should_create_the_tables_once_and_add_columns_an_older_flights_raw_lacks()
    {
        var settings = Settings(Fake);
        await using (var client = await BigQueryTestClient.CreateAsync(settings))
        {
            await client.Client.InsertDatasetAsync(new Dataset(new DatasetReference(ProjectId, DatasetId), "US"), CancellationToken.None);
            var older = BigQueryRows.FlightsRawFields.Where(f => f.Name is not ("kafka_next_offset" or "kafka_cluster_id")).ToList();
            await client.Client.InsertTableAsync(new Table(new TableReference(ProjectId, DatasetId, WarehouseTables.FlightsRaw), new TableSchema(older)), CancellationToken.None);
        }

        await using (await BigQueryWarehouse.OpenAsync(settings))
        {
        }

        await using var warehouse = await BigQueryWarehouse.OpenAsync(settings);
        await warehouse.WriteAsync(Batch(Rows(0, 0, 3)));

        Assert.Equal(3, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(Offsets((0, 3)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
        var columns = await warehouse.QueryAsync("SELECT kafka_cluster_id, kafka_next_offset FROM flights_raw");
        Assert.All(columns.Rows, row => Assert.Equal(ClusterId, row[0]));

    }

    [Fact]
    public async Task A_load_larger_than_one_chunk_should_go_as_a_resumable_upload_and_survive_a_failed_chunk()
    {
        Fake.Faults.Enqueue(FaultScript.UploadChunkMethodId, FakeFault.Status(503, "backendError", "Scripted chunk failure"));
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake).WithUploadChunkBytes(256 * 1024));

        // About 700 KiB of NDJSON: three chunks of 256 KiB.
        var result = await warehouse.WriteAsync(Batch(Rows(0, 0, 1_500)));

        Assert.Equal(1_500, result.Inserted);
        Assert.Equal(1_500, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.True(Fake.Stats.Requests(FaultScript.UploadChunkMethodId) >= 4, $"{Fake.Stats.Requests(FaultScript.UploadChunkMethodId)} chunk requests");
        Assert.Equal(0, Fake.Faults.Pending(FaultScript.UploadChunkMethodId));
    }

    // issue 13 §3: the gap between the jobs' starts, as the fake saw them, not the time the whole write took.
    [Fact]
    public async Task Load_jobs_into_one_table_should_start_at_least_the_load_interval_apart()
    {
        var interval = TimeSpan.FromMilliseconds(400);
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake).WithLoadInterval(interval));

        // Two partitions: two jobs into flights_raw, the second held back until the interval has passed; then a
        // second batch, whose job waits for the interval after the second.
        await warehouse.WriteAsync(Batch([.. Rows(0, 0, 3), .. Rows(1, 0, 3)]));
        await warehouse.WriteAsync(Batch(Rows(0, 3, 3)));

        var starts = Fake.Stats.LoadJobInsertTimes(ProjectId, DatasetId, WarehouseTables.FlightsRaw);
        Assert.Equal(3, starts.Count);
        // Timers may fire a little early; jobs spaced out never come close to this bound, jobs at once are far below it.
        Assert.All(starts.Zip(starts.Skip(1), (a, b) => b - a), gap => Assert.True(gap >= interval - TimeSpan.FromMilliseconds(20), $"{gap}"));
    }

    // The spacing holds where BigQuery sees the jobs: a job that reaches it late (a slow network, a loaded machine)
    // must not bring the next one closer, so the interval counts from the answer to the previous insert.
    [Fact]
    public async Task Load_jobs_should_stay_the_load_interval_apart_when_an_insert_reaches_BigQuery_late()
    {
        var interval = TimeSpan.FromMilliseconds(400);
        Fake.Faults.Enqueue("bigquery.jobs.insert", FakeFault.Delay(TimeSpan.FromMilliseconds(200)));
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake).WithLoadInterval(interval));

        await warehouse.WriteAsync(Batch([.. Rows(0, 0, 3), .. Rows(1, 0, 3)]));

        var starts = Fake.Stats.LoadJobInsertTimes(ProjectId, DatasetId, WarehouseTables.FlightsRaw);
        Assert.Equal(2, starts.Count);
        Assert.True(starts[1] - starts[0] >= interval - TimeSpan.FromMilliseconds(20), $"{starts[1] - starts[0]}");
    }

    [Fact]
    public async Task Write_should_return_only_once_the_job_is_done()
    {
        await using var fake = await FakeBigQueryServer.StartAsync(new FakeBigQueryOptions { JobPollsUntilDone = 3 });
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(fake));

        await warehouse.WriteAsync(Batch(Rows(3, 7, 20)));

        Assert.Equal(20, fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(Offsets((3, 27)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
        Assert.Empty(fake.ContractViolations);
    }

    // issue 13 §3: the job finishes on its own (FinishRunningJobs), not because the spec polled it to DONE.
    [Fact]
    public async Task Stored_offsets_should_wait_for_a_load_job_still_running()
    {
        // Each job runs after two jobs.get: until then it is RUNNING, as a job left by a write cut short would be.
        await using var fake = await FakeBigQueryServer.StartAsync(new FakeBigQueryOptions { JobPollsUntilDone = 2 });
        var settings = Settings(fake);
        await using var warehouse = await BigQueryWarehouse.OpenAsync(settings);
        await warehouse.WriteAsync(Batch(Rows(0, 0, 5)));
        await using var client = await BigQueryTestClient.CreateAsync(settings);
        var jobId = BigQueryLoadJobs.JobId(ClusterId, settings, Topic, 0, 5, 9, WarehouseTables.FlightsRaw, 0);
        var lines = Rows(0, 5, 5).Select(r => BigQueryRows.Flight(r, ClusterId, 10, DateTime.UtcNow)).ToList();
        await client.Client.InsertJobMultipartAsync(LoadJob(jobId), BigQueryRows.Ndjson(lines), null, CancellationToken.None);
        var listed = fake.Stats.Requests("bigquery.jobs.list");

        var offsets = warehouse.StoredOffsetsAsync(ClusterId, Topic);
        // The warehouse found the job running twice, and is still waiting.
        await AwaitConditionAsync(() => fake.Stats.Requests("bigquery.jobs.list") >= listed + 2, TimeSpan.FromSeconds(20));
        Assert.False(offsets.IsCompleted);
        fake.FinishRunningJobs();

        Assert.Equal(Offsets((0, 10)), await offsets.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Empty(fake.ContractViolations);
    }

    private static async Task AwaitConditionAsync(Func<bool> condition, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition())
        {
            await Task.Delay(5, deadline.Token);
        }
    }

    private static Job LoadJob(string jobId) => new(
        new JobReference(ProjectId, jobId, "US"),
        new JobConfiguration(new JobConfigurationLoad(
            new TableReference(ProjectId, DatasetId, WarehouseTables.FlightsRaw), "NEWLINE_DELIMITED_JSON", "WRITE_APPEND", "CREATE_NEVER", false, 0)));
}
