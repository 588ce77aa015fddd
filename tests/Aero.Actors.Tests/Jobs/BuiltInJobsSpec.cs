using Aero.Actors.Jobs;
using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>
/// Issue 18 §1–2, §3 (tests): the built-in jobs, run by the scheduler on the warehouse's engine over 220,000 flights
/// (200,000 real ones), give exactly the aggregates computed independently in C# over the same rows read back — on
/// DuckDB, PostgreSQL and (the fake) BigQuery, each with its runs in its own <c>_aero_jobs</c>. The fake BigQuery
/// gets 40,000 of them (20,000 real): its load jobs parse JSON into an embedded database behind HTTP, which at 220,000
/// took minutes of the suite and, on a busy machine, longer than the client's request timeout.
/// </summary>
public sealed class BuiltInJobsSpec
{
    private static readonly Dictionary<string, (string Table, string[] Keys)> Outputs = new()
    {
        ["delays-by-month"] = ("job_delays_by_month", ["year", "month"]),
        ["airline-ranking"] = ("job_airline_ranking", ["airline"]),
        ["top-routes"] = ("job_top_routes", ["route"]),
        ["airport-congestion"] = ("job_airport_congestion", ["airport", "day_of_week", "hour_of_day"]),
        ["delay-propagation"] = ("job_delay_propagation", ["airport"]),
        // Issue 19 §2: the dashboard's numbers, one row per dimension and key.
        ["dashboard-summary"] = ("job_dashboard_summary", ["dimension", "airline", "delay_category", "event_hour", "route", "origin"]),
    };

    [Fact]
    public async Task The_built_in_jobs_on_DuckDB_should_equal_the_aggregates_computed_independently()
    {
        using var store = new DuckDbTestStore();
        await using var warehouse = await store.OpenAsync();
        await RunAndCompareAsync(warehouse);
    }

    [Fact]
    public async Task The_built_in_jobs_on_PostgreSQL_should_equal_the_aggregates_computed_independently()
    {
        await using var store = await PostgresTestStore.CreateAsync();
        await using var warehouse = await store.OpenAsync();
        await RunAndCompareAsync(warehouse);
    }

    [Fact]
    public async Task The_built_in_jobs_on_BigQuery_should_equal_the_aggregates_computed_independently()
    {
        await using var bigQuery = await FakeBigQueryWarehouse.StartAsync();
        await RunAndCompareAsync(bigQuery.Warehouse, realFlights: 20_000);
    }

    private static async Task RunAndCompareAsync(IWarehouse warehouse, int realFlights = JobSpecFlights.RealFlights)
    {
        // The node's own wiring: engine = warehouse is the warehouse's kind, the runs are in its _aero_jobs.
        await using var scheduler = await BuiltInJobRuns.StartAsync(warehouse, realFlights: realFlights);
        var runs = await BuiltInJobRuns.RunEachTwiceAsync(scheduler);

        var expected = await IndependentAggregates.ComputeAsync(warehouse);
        foreach (var run in runs)
        {
            var recorded = await scheduler.GetAsync(run.RunId, CancellationToken.None);
            Assert.True(recorded!.State == JobRunState.Succeeded, $"{run.RunId}: {recorded.State} {recorded.Error}");
            var (table, keys) = Outputs[run.Job];
            var actual = await IndependentAggregates.ReadOutputAsync(warehouse, table, keys, JobPeriod.AllKey);
            Assert.True(expected[run.Job].Count > 0, $"{run.Job}: the flights give it no rows to compare");
            Assert.Equal((long)expected[run.Job].Count, recorded.RowsWritten);
            Assert.Equal(expected[run.Job].Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, values) in expected[run.Job])
            {
                foreach (var (column, value) in values)
                {
                    Assert.True(Close(value, actual[key][column]), $"{run.Job} {key} {column}: expected {value}, the job wrote {actual[key][column]}");
                }
            }
        }
    }

    private static bool Close(double? expected, double? actual) =>
        expected is null || actual is null ? expected is null && actual is null : Math.Abs(expected.Value - actual.Value) <= 1e-9 * Math.Max(1, Math.Abs(expected.Value));
}
