using Aero.FakeBigQuery;
using Aero.Kafka.Messages;
using Aero.Warehouse.BigQuery;
using Xunit;
using static Aero.Warehouse.Tests.BigQuery.BigQueryTestData;

namespace Aero.Warehouse.Tests.BigQuery;

public sealed class BigQueryFaultSpec : FakeBigQuerySpec
{
    private const string InsertJob = "bigquery.jobs.insert";
    private const string GetJob = "bigquery.jobs.get";
    private const string Query = "bigquery.jobs.query";
    [Fact]
    public async Task A_job_accepted_but_answered_with_503_should_be_adopted_on_its_409_and_loaded_once()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        Fake.Faults.Enqueue(InsertJob, FakeFault.AcceptThenFail(503, "backendError"));

        var result = await warehouse.WriteAsync(Batch(Rows(0, 0, 40)));

        Assert.Equal(40, result.Inserted);
        Assert.Equal(1, Fake.Stats.ConflictsServed);
        Assert.Equal(1, Fake.Stats.LoadJobs(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(40, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(Offsets((0, 40)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
    }

    [Fact]
    public async Task Server_errors_with_and_without_a_json_body_should_be_retried()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        Fake.Faults.Enqueue(InsertJob, FakeFault.Status(500, "internalError", "Scripted internal error"));
        Fake.Faults.Enqueue(InsertJob, FakeFault.HtmlStatus(502));
        Fake.Faults.Enqueue(GetJob, FakeFault.HtmlStatus(503));
        Fake.Faults.Enqueue(GetJob, FakeFault.Status(503, "backendError", "Scripted backend error"));
        Fake.Faults.Enqueue(Query, FakeFault.HtmlStatus(504));
        Fake.Faults.Enqueue(Query, FakeFault.Status(403, "rateLimitExceeded", "Exceeded rate limits"));

        await warehouse.WriteAsync(Batch(Rows(0, 0, 10), [Letter(0, 10)]));

        Assert.Equal(Offsets((0, 11)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
        Assert.Equal(10, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(1, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.DeadLetters));
        Assert.Equal(0, Fake.Faults.Pending(InsertJob) + Fake.Faults.Pending(GetJob) + Fake.Faults.Pending(Query));
    }

    [Fact]
    public async Task Quota_exceeded_should_raise_an_alarm_and_back_off_rather_than_fail_or_spin()
    {
        var log = new RecordingLog();
        using var alarms = new QuotaAlarms();
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake), log);
        Fake.Faults.Enqueue(InsertJob, FakeFault.Status(403, "quotaExceeded", "Quota exceeded: Your table exceeded quota for imports or query appends per table"));
        Fake.Faults.Enqueue(InsertJob, FakeFault.Status(403, "quotaExceeded", "Quota exceeded: Your table exceeded quota for imports or query appends per table"));

        await warehouse.WriteAsync(Batch(Rows(0, 0, 5)));

        Assert.True(alarms.Count >= 2, $"{alarms.Count} alarms");
        Assert.Equal(2, log.Errors.Count(e => e.Contains("quota exceeded", StringComparison.OrdinalIgnoreCase)));
        // Each quota answer was followed by the (here tiny) quota back-off, never by an immediate retry.
        Assert.Equal(3, Fake.Stats.Requests(InsertJob));
        Assert.Equal(5, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
    }

    [Fact]
    public async Task A_permanent_error_should_fail_the_write_with_its_reason_and_no_credentials()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        Fake.Faults.Enqueue(InsertJob, FakeFault.Status(403, "accessDenied", "Access Denied: Table aero-test:aero.flights_raw"));

        var error = await Assert.ThrowsAsync<BigQueryException>(() => warehouse.WriteAsync(Batch(Rows(0, 0, 5))));

        Assert.Equal("accessDenied", error.Reason);
        Assert.Equal(403, error.HttpStatus);
        Assert.Contains("Access Denied", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Empty(await warehouse.StoredOffsetsAsync(ClusterId, Topic));
    }

    [Fact]
    public async Task A_load_job_that_failed_should_store_nothing_and_its_id_not_block_the_retry()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        var rows = Rows(0, 0, 2).ToList();
        // A dead letter without its (required) reason: its load job fails, before the flights' job runs.
        var broken = new DeadLetter([1, 2, 3], null!, new KafkaPosition(Topic, 0, 2, DateTime.UtcNow));

        var error = await Assert.ThrowsAsync<BigQueryException>(() => warehouse.WriteAsync(Batch(rows, [broken])));

        Assert.Equal("invalid", error.Reason);
        Assert.Equal(0, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw) + Fake.RowCount(ProjectId, DatasetId, WarehouseTables.DeadLetters));
        Assert.Empty(await warehouse.StoredOffsetsAsync(ClusterId, Topic));

        // The retry meets the failed job under the same id, and loads as the next attempt.
        Assert.Equal(new WriteResult(2, 0, 1), await warehouse.WriteAsync(Batch(rows, [broken with { Reason = "fixed" }])));
        Assert.Equal(Offsets((0, 3)), await warehouse.StoredOffsetsAsync(ClusterId, Topic));
    }

    [Fact]
    public async Task Transient_errors_should_give_up_once_the_deadline_has_passed()
    {
        var log = new RecordingLog();
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake).WithRetry(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4), TimeSpan.FromMilliseconds(100)), log);
        for (var i = 0; i < 10_000; i++)
        {
            Fake.Faults.Enqueue(InsertJob, FakeFault.Status(503, "backendError", "Scripted backend error"));
        }

        var error = await Assert.ThrowsAsync<BigQueryException>(() => warehouse.WriteAsync(Batch(Rows(0, 0, 5))));

        Assert.Equal("backendError", error.Reason);
        Assert.True(Fake.Faults.Pending(InsertJob) > 0, "gave up before the faults ran out");
        Assert.All(log.Entries, e => Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hung_request_should_time_out_and_be_retried()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake).WithAttemptTimeout(TimeSpan.FromMilliseconds(300)));
        // Far longer than the spec may take: only the attempt timeout gets the write past it.
        Fake.Faults.Enqueue(GetJob, FakeFault.Delay(TimeSpan.FromMinutes(10)));

        await warehouse.WriteAsync(Batch(Rows(0, 0, 5)));

        Assert.Equal(5, Fake.RowCount(ProjectId, DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(0, Fake.Faults.Pending(GetJob));
    }

    [Fact]
    public async Task A_query_answered_incomplete_should_be_followed_to_its_results()
    {
        await using var warehouse = await BigQueryWarehouse.OpenAsync(Settings(Fake));
        await warehouse.WriteAsync(Batch(Rows(0, 0, 7)));
        Fake.Faults.Enqueue(Query, FakeFault.QueryIncomplete());

        Assert.Equal(7, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(0, Fake.Faults.Pending(Query));
    }

    [Fact]
    public async Task Credentials_should_appear_in_no_description_setting_or_log()
    {
        var log = new RecordingLog();
        var settings = Settings(Fake);
        Fake.Faults.Enqueue(InsertJob, FakeFault.Status(503, "backendError", "Scripted backend error"));
        await using var warehouse = await BigQueryWarehouse.OpenAsync(settings, log);
        await warehouse.WriteAsync(Batch(Rows(0, 0, 1)));

        Assert.DoesNotContain(Token, warehouse.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, settings.ToString(), StringComparison.Ordinal);
        Assert.Contains("<redacted>", settings.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(log.Entries);
        Assert.All(log.Entries, e => Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal));
    }
}
