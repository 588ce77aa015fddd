using System.Globalization;
using Aero.Actors.Jobs;
using Aero.Actors.Jobs.Engines;
using Aero.Warehouse.Views;
using Akka.Event;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>
/// Issue 18 §2: jobs on a BigQuery warehouse — the runs in its dataset's <c>_aero_jobs</c>, claimed by MERGE and
/// conditional UPDATE so two coordinators never both get a run, and the scheduler running jobs on the BigQuery engine.
/// </summary>
public sealed class BigQueryJobRunsSpec : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyDictionary<string, string> Engines = new Dictionary<string, string> { ["warehouse"] = "bigquery", ["bigquery"] = "bigquery" };

    private FakeBigQueryWarehouse _bigQuery = null!;

    public async Task InitializeAsync() => _bigQuery = await FakeBigQueryWarehouse.StartAsync();

    public async Task DisposeAsync() => await _bigQuery.DisposeAsync();

    [Fact]
    public async Task Of_two_coordinators_claiming_the_same_run_only_one_should_get_it_each_time()
    {
        await using var other = await FakeBigQueryWarehouse.ConnectAsync(_bigQuery.Fake);
        var (a, b) = (JobRunStore.OnBigQuery(_bigQuery.Warehouse), JobRunStore.OnBigQuery(other.Warehouse));
        await a.EnsureTableAsync(CancellationToken.None);
        var job = JobConfig.Only("""hourly { schedule = "every 1h", sql = "SELECT 1 AS one", output = job_one }""", Engines).Jobs.Single();
        var period = job.PeriodAt(Now);
        var lease = TimeSpan.FromMinutes(2);

        var claimedNew = await Task.WhenAll(
            a.TryClaimNewAsync("hourly@1", job, period, "coordinator-a", Now, lease, CancellationToken.None),
            b.TryClaimNewAsync("hourly@1", job, period, "coordinator-b", Now, lease, CancellationToken.None));
        // The lease ran out: both coordinators try to take the run over.
        var later = Now + lease + TimeSpan.FromSeconds(1);
        var takenOver = await Task.WhenAll(
            a.TryClaimAsync("hourly@1", "coordinator-a", later, lease, finishedToo: false, CancellationToken.None),
            b.TryClaimAsync("hourly@1", "coordinator-b", later, lease, finishedToo: false, CancellationToken.None));

        Assert.Single(claimedNew, claimed => claimed);
        Assert.Single(takenOver, claimed => claimed);
        var row = Assert.Single(_bigQuery.Rows(JobRunStore.Table));
        Assert.Equal(2L, row["attempt"]);
        Assert.Equal(takenOver[0] ? "coordinator-a" : "coordinator-b", row["owner"]);
    }

    [Fact]
    public async Task A_run_should_be_recorded_with_an_error_that_holds_quotes_and_line_breaks_as_it_was()
    {
        var store = JobRunStore.OnBigQuery(_bigQuery.Warehouse);
        await store.EnsureTableAsync(CancellationToken.None);
        var job = JobConfig.Only("""hourly { schedule = "every 1h", sql = "SELECT 1 AS one", output = job_one }""", Engines).Jobs.Single();
        const string Error = "BigQuery said: 'no' \\ \"really\"\nsecond line";

        Assert.True(await store.TryClaimNewAsync("hourly@1", job, job.PeriodAt(Now), "coordinator-a", Now, TimeSpan.FromMinutes(2), CancellationToken.None));
        Assert.True(await store.FailAsync("hourly@1", "coordinator-a", Error, Now, CancellationToken.None));

        var run = (await store.GetAsync("hourly@1", CancellationToken.None))!;
        Assert.Equal((JobRunState.Failed, Error), (run.State, run.Error));
        Assert.Equal(Now, (await store.LatestDueAsync(CancellationToken.None))["hourly"]);
    }

    [Fact]
    public async Task The_scheduler_on_BigQuery_should_record_a_run_its_rows_and_a_failing_sql_as_failed_with_BigQuerys_message()
    {
        await _bigQuery.Warehouse.QueryAsync("CREATE TABLE src (id STRING, n INT64)");
        await _bigQuery.Warehouse.QueryAsync("INSERT INTO src (id, n) VALUES ('a', 1), ('a', 2), ('b', 5)");
        var settings = JobConfig.Only(
            """
            sums { sql = "SELECT id, SUM(n) AS total FROM src GROUP BY id", output = job_sums, retries = 0 }
            broken { sql = "SELECT * FROM nope", output = job_broken, retries = 0 }
            """,
            Engines);
        var runtime = new JobsRuntime(
            settings,
            new Dictionary<string, IJobEngine> { ["warehouse"] = new BigQueryJobEngine("bigquery", _bigQuery.Warehouse) },
            JobRunStore.OnBigQuery(_bigQuery.Warehouse),
            TimeProvider.System);
        await using var scheduler = new JobScheduler(runtime.Settings, runtime.Engines, runtime.Store, runtime.Clock, "spec", NoLogger.Instance);
        await scheduler.StartAsync(CancellationToken.None);

        // Twice for the same period: the second run replaces the first one's rows.
        var sums = await scheduler.RunNowAsync("sums", null, CancellationToken.None);
        await scheduler.WhenIdleAsync();
        await scheduler.RunNowAsync("sums", sums.Due, CancellationToken.None);
        await scheduler.WhenIdleAsync();
        var broken = await scheduler.RunNowAsync("broken", null, CancellationToken.None);
        await scheduler.WhenIdleAsync();

        var succeeded = (await scheduler.GetAsync(sums.RunId, CancellationToken.None))!;
        Assert.Equal((JobRunState.Succeeded, 2L), (succeeded.State, succeeded.RowsWritten));
        Assert.Equal(["a 3", "b 5"], _bigQuery.Rows("job_sums").Select(r => $"{r["id"]} {r["total"]}").Order(StringComparer.Ordinal));
        var failed = (await scheduler.GetAsync(broken.RunId, CancellationToken.None))!;
        Assert.Equal(JobRunState.Failed, failed.State);
        Assert.Contains("BigQuery jobs.query: HTTP 404 notFound", failed.Error, StringComparison.Ordinal);
        Assert.Contains("nope", failed.Error, StringComparison.Ordinal);

        // Issue 19 §1: the view over the runs, created with the warehouse, says the same on BigQuery.
        var summary = await _bigQuery.Warehouse.QueryAsync($"SELECT job, runs, succeeded_runs, failed_runs, rows_written FROM {WarehouseViews.JobRunsSummary} ORDER BY job");
        Assert.Equal(
            ["broken 1 0 1 0", "sums 1 1 0 2"],
            summary.Rows.Select(r => string.Join(' ', r.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))));
    }
}
