using Aero.Actors.Jobs;
using Aero.Actors.Jobs.Engines;
using Aero.FakeBigQuery;
using Aero.Warehouse.BigQuery;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>
/// Issue 18 §2: the BigQuery engine — jobs.query with a request id, then getQueryResults — against the fake BigQuery:
/// a run replaces its period atomically, a re-sent call never runs the job twice, a failing SQL fails with BigQuery's
/// message and leaves the period as it was, and cancelling a run cancels its job.
/// </summary>
public sealed class BigQueryJobEngineSpec : IAsyncLifetime
{
    private const string Sums = "SELECT id, SUM(n) AS total FROM src GROUP BY id";

    private FakeBigQueryWarehouse _bigQuery = null!;

    private FakeBigQueryServer Fake => _bigQuery.Fake;

    private BigQueryWarehouse Warehouse => _bigQuery.Warehouse;

    public async Task InitializeAsync() => _bigQuery = await FakeBigQueryWarehouse.StartAsync();

    public async Task DisposeAsync() => await _bigQuery.DisposeAsync();

    [Fact]
    public async Task A_run_should_replace_its_period_and_a_second_run_should_not_add_to_it()
    {
        await SourceAsync("('a', 1), ('a', 2), ('b', 5)");
        var engine = new BigQueryJobEngine("bigquery", Warehouse);

        var first = await engine.RunAsync(Request("sums@1", 1, Sums, "2025-01-01/2025-01-02"), CancellationToken.None);
        var other = await engine.RunAsync(Request("sums@2", 1, Sums, "2025-01-02/2025-01-03"), CancellationToken.None);
        await Warehouse.QueryAsync("INSERT INTO src (id, n) VALUES ('c', 7)");
        var again = await engine.RunAsync(Request("sums@1", 2, Sums, "2025-01-01/2025-01-02"), CancellationToken.None);

        Assert.Equal((2L, 2L, 3L), (first, other, again));
        Assert.Equal(
            ["2025-01-01/2025-01-02 a 3", "2025-01-01/2025-01-02 b 5", "2025-01-01/2025-01-02 c 7", "2025-01-02/2025-01-03 a 3", "2025-01-02/2025-01-03 b 5"],
            Output().Select(r => $"{r["period"]} {r["id"]} {r["total"]}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_jobs_query_answered_with_an_error_after_it_ran_should_be_retried_without_running_the_job_again()
    {
        await SourceAsync("('a', 1), ('b', 5)");
        Fake.Faults.Enqueue("bigquery.jobs.query", FakeFault.AcceptThenFail(503, "backendError"));
        var before = Fake.Stats.Requests("bigquery.jobs.query");

        var written = await new BigQueryJobEngine("bigquery", Warehouse).RunAsync(Request("sums@1", 1, Sums, JobPeriod.AllKey), CancellationToken.None);

        Assert.Equal(2, written);
        Assert.Equal(2, Fake.Stats.Requests("bigquery.jobs.query") - before);
        Assert.Single(await _bigQuery.JobsAsync(), job => job!["configuration"]!["query"]!["query"]!.GetValue<string>().Contains("job_sums", StringComparison.Ordinal));
        Assert.Equal(2, Output().Count);
    }

    [Fact]
    public async Task A_failing_sql_should_fail_with_BigQuerys_message_and_leave_the_period_as_it_was()
    {
        await SourceAsync("('a', 1), ('b', 5)");
        var engine = new BigQueryJobEngine("bigquery", Warehouse);
        await engine.RunAsync(Request("sums@1", 1, Sums, JobPeriod.AllKey), CancellationToken.None);

        // Fails in the transaction's INSERT (a value that is no number), after its DELETE of the period's rows.
        var error = await Assert.ThrowsAsync<BigQueryException>(() => engine.RunAsync(
            Request("sums@1", 2, "SELECT id, CAST(CONCAT('x', id) AS INT64) AS total FROM src", JobPeriod.AllKey), CancellationToken.None));

        Assert.Contains("jobs.query: HTTP 400 invalidQuery", error.Message, StringComparison.Ordinal);
        Assert.Contains("Could not convert string 'xa' to INT64", error.Message, StringComparison.Ordinal);
        Assert.Equal(["a 1", "b 5"], Output().Select(r => $"{r["id"]} {r["total"]}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Cancelling_a_run_should_cancel_its_BigQuery_job()
    {
        await _bigQuery.DisposeAsync();
        _bigQuery = await FakeBigQueryWarehouse.StartAsync(new FakeBigQueryOptions { JobPollsUntilDone = 1_000_000 });
        using var cancellation = new CancellationTokenSource();

        var run = new BigQueryJobEngine("bigquery", Warehouse).RunAsync(Request("sums@1", 1, Sums, JobPeriod.AllKey), cancellation.Token);
        while (Fake.Stats.Requests("bigquery.jobs.getQueryResults") == 0)
        {
            await Task.Delay(5);
        }

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        var job = Assert.Single(await _bigQuery.JobsAsync());
        Assert.Equal(("DONE", "stopped"), (job!["status"]!["state"]!.GetValue<string>(), job["status"]!["errorResult"]!["reason"]!.GetValue<string>()));
        Assert.Equal(1, Fake.Stats.Requests("bigquery.jobs.cancel"));
    }

    [Fact]
    public void The_request_id_should_be_a_valid_requestId_per_run_and_attempt()
    {
        var first = BigQueryJobEngine.RequestId("delays-by-month@2025-01-01T00:00:00.000Z", 1);

        Assert.Equal(36, first.Length);
        Assert.Equal(first, BigQueryJobEngine.RequestId("delays-by-month@2025-01-01T00:00:00.000Z", 1));
        Assert.NotEqual(first, BigQueryJobEngine.RequestId("delays-by-month@2025-01-01T00:00:00.000Z", 2));
    }

    private static JobRunRequest Request(string runId, int attempt, string sql, string period) =>
        new(runId, attempt, "sums", sql, "job_sums", period, JobRunStore.ClaimGuard(runId, "spec"));

    private async Task SourceAsync(string values)
    {
        await Warehouse.QueryAsync("CREATE TABLE src (id STRING, n INT64)");
        await Warehouse.QueryAsync($"INSERT INTO src (id, n) VALUES {values}");
    }

    private IReadOnlyList<IReadOnlyDictionary<string, object?>> Output() => _bigQuery.Rows("job_sums");
}
