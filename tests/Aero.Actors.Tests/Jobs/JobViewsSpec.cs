using System.Globalization;
using Aero.Actors.Jobs;
using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Aero.Warehouse.Views;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>
/// Issue 19 §1 (views over the jobs' tables, and LookML for them) and §5 (views say what direct SQL over their tables
/// says), on DuckDB, PostgreSQL and (the fake) BigQuery: each configured job's output has its view <c>{output}_latest</c> from the scheduler's start on; after the
/// built-in jobs ran over real flights, the view holds exactly the table's rows, each with the run that wrote it, and
/// every LookML field of the job views names a real column.
/// </summary>
public sealed class JobViewsSpec
{
    [Fact]
    public async Task Job_views_on_DuckDB_should_hold_the_job_tables_rows_with_their_runs_and_LookML_should_name_their_columns()
    {
        using var store = new DuckDbTestStore();
        await using var warehouse = await store.OpenAsync();
        await CheckBuiltInJobsAsync(warehouse);
    }

    [Fact]
    public async Task Job_views_on_PostgreSQL_should_hold_the_job_tables_rows_with_their_runs_and_LookML_should_name_their_columns()
    {
        await using var store = await PostgresTestStore.CreateAsync();
        await using var warehouse = await store.OpenAsync();
        await CheckBuiltInJobsAsync(warehouse);
    }

    [Fact]
    public async Task Job_views_on_BigQuery_should_hold_the_job_tables_rows_with_their_runs_and_LookML_should_name_their_columns()
    {
        // Fewer of the flights (BuiltInJobsSpec says why); each view is a table of the dataset, created when the scheduler starts.
        await using var bigQuery = await FakeBigQueryWarehouse.StartAsync();
        await CheckBuiltInJobsAsync(bigQuery.Warehouse, realFlights: 20_000);
    }

    [Fact]
    public async Task A_job_over_intervals_should_show_each_period_with_its_bounds_and_the_run_that_wrote_it_on_DuckDB()
    {
        using var store = new DuckDbTestStore();
        await using var warehouse = await store.OpenAsync();
        await CheckIntervalJobAsync(warehouse, JobConfig.DuckDbEngines);
    }

    [Fact]
    public async Task A_job_over_intervals_should_show_each_period_with_its_bounds_and_the_run_that_wrote_it_on_PostgreSQL()
    {
        await using var store = await PostgresTestStore.CreateAsync();
        await using var warehouse = await store.OpenAsync();
        await CheckIntervalJobAsync(warehouse, JobConfig.PostgresEngines);
    }

    [Fact]
    public async Task A_job_whose_measures_name_no_column_should_be_a_problem_naming_it_and_the_others_still_offered()
    {
        using var store = new DuckDbTestStore();
        await using var warehouse = await store.OpenAsync();
        var settings = JobConfig.Only(
            """
            good { sql = "SELECT origin, CAST(count(*) AS BIGINT) AS departures FROM flights GROUP BY origin", output = job_good, measures = [departures] }
            wrong { sql = "SELECT origin, CAST(count(*) AS BIGINT) AS departures FROM flights GROUP BY origin", output = job_wrong, measures = [flights] }
            """);
        var runtime = BuiltInJobRuns.Runtime(warehouse, settings);

        var described = (await JobLookerViews.DescribeAsync(runtime, warehouse, CancellationToken.None)).ToDictionary(j => j.Job);

        Assert.Equal("job_good_latest", described["good"].View?.Name);
        Assert.Null(described["good"].Problem);
        Assert.Null(described["wrong"].View);
        Assert.Contains("aero.jobs.definitions.wrong.measures: flights is no column of job_wrong", described["wrong"].Problem, StringComparison.Ordinal);
    }

    private static async Task CheckBuiltInJobsAsync(IWarehouse warehouse, int realFlights = JobSpecFlights.RealFlights)
    {
        await using var scheduler = await BuiltInJobRuns.StartAsync(warehouse, realFlights: realFlights);
        var jobs = scheduler.Settings.Jobs;
        Assert.Equal(6, jobs.Count);

        // Before any run: every view exists, empty, and LookML offers it while saying the job has not run.
        foreach (var job in jobs)
        {
            Assert.Equal(0L, await CountAsync(warehouse, JobOutputViews.Name(job.Output)));
        }

        var runtime = BuiltInJobRuns.Runtime(warehouse);
        Assert.All(await JobLookerViews.DescribeAsync(runtime, warehouse, CancellationToken.None), j => Assert.Equal("no rows yet: the job has not run", j.Note));

        var runs = await BuiltInJobRuns.RunEachTwiceAsync(scheduler);

        foreach (var run in runs)
        {
            var job = scheduler.Settings.Job(run.Job);
            var view = JobOutputViews.Name(job.Output);
            var recorded = (await scheduler.GetAsync(run.RunId, CancellationToken.None))!;
            Assert.Equal(JobRunState.Succeeded, recorded.State);
            var tableColumns = (await warehouse.QueryAsync($"SELECT * FROM {job.Output} LIMIT 0")).Columns.Select(c => c.Name).ToList();
            var rows = await CountAsync(warehouse, job.Output);
            Assert.True(rows > 0, $"{job.Name}: no rows to compare");

            // The same rows as the table, value for value (EXCEPT compares every column, NULLs alike), both ways.
            Assert.Equal(rows, await CountAsync(warehouse, view));
            var columns = string.Join(", ", tableColumns);
            Assert.Equal(0L, await CountAsync(warehouse, $"(SELECT {columns} FROM {job.Output} EXCEPT SELECT {columns} FROM {view}) d"));
            Assert.Equal(0L, await CountAsync(warehouse, $"(SELECT {columns} FROM {view} EXCEPT SELECT {columns} FROM {job.Output}) d"));

            // Every row names the run that wrote it (the second run of the same due time), with its times; a job over every flight has no bounds.
            var written = await warehouse.QueryAsync($"SELECT DISTINCT run_id, run_due, run_finished_at, period_start, period_end FROM {view}");
            var only = Assert.Single(written.Rows);
            Assert.Equal(run.RunId, only[0]);
            Assert.Equal(recorded.Due.UtcDateTime, Time(only[1]));
            Assert.Equal(recorded.Ended!.Value.UtcDateTime, Time(only[2]));
            Assert.Null(only[3]);
            Assert.Null(only[4]);
        }

        // The counts a job declares as measures add up to the same totals through the view as over the table.
        foreach (var job in jobs)
        {
            foreach (var measure in job.Measures)
            {
                var sum = $"SELECT CAST(sum({measure}) AS float8) FROM ";
                Assert.Equal(Number((await warehouse.QueryAsync(sum + job.Output)).Rows[0][0]), Number((await warehouse.QueryAsync(sum + JobOutputViews.Name(job.Output))).Rows[0][0]));
            }
        }

        var described = await JobLookerViews.DescribeAsync(runtime, warehouse, CancellationToken.None);
        Assert.All(described, j => Assert.True(j.View is not null && j.Note is null && j.Problem is null && j.Rows > 0, $"{j.Job}: {j.Note} {j.Problem}"));
        var jobViews = described.Select(j => j.View!).ToList();
        var files = LookMl.Files("aero", [.. warehouse.Views, .. jobViews]);
        var checkedColumns = await LookMlCheck.AssertFieldsNameRealColumnsAsync(warehouse, files, [.. warehouse.Views.Concat(jobViews).Select(v => v.Name)]);
        Assert.True(checkedColumns >= 150, $"only {checkedColumns} column references checked");

        // Counts are summed, averages and ranks never are.
        foreach (var job in jobs)
        {
            var text = files[$"{LookMl.ViewsFolder}/{JobOutputViews.Name(job.Output)}.view.lkml"];
            Assert.All(job.Measures, m => Assert.Contains($"measure: total_{m} {{\n    type: sum", text, StringComparison.Ordinal));
            Assert.DoesNotContain("measure: total_avg", text, StringComparison.Ordinal);
            Assert.DoesNotContain("measure: total_volume_rank", text, StringComparison.Ordinal);
            Assert.DoesNotContain("measure: total_on_time_share", text, StringComparison.Ordinal);
        }
    }

    private static async Task CheckIntervalJobAsync(IWarehouse warehouse, IReadOnlyDictionary<string, string> engines)
    {
        var settings = JobConfig.Only(
            """
            daily-flights {
              schedule = "0 0 * * *", output = job_daily_flights, measures = [flights], parameters.period = interval
              sql = "SELECT airline, CAST(count(*) AS BIGINT) AS flights FROM flights WHERE event_time >= {period_start} AND event_time < {period_end} GROUP BY airline"
            }
            """,
            engines);
        await using var scheduler = await BuiltInJobRuns.StartAsync(warehouse, settings);
        var days = (await warehouse.QueryAsync("SELECT event_date, count(*) FROM flights GROUP BY event_date ORDER BY count(*) DESC, event_date LIMIT 2")).Rows
            .Select(r => DateOnly.FromDateTime(Time(r[0]))).ToList();
        var runs = new List<JobRunRecord>();
        foreach (var day in days)
        {
            runs.Add(await scheduler.RunNowAsync("daily-flights", new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), CancellationToken.None));
            await scheduler.WhenIdleAsync();
        }

        var view = JobOutputViews.Name("job_daily_flights");
        var periods = await warehouse.QueryAsync($"SELECT period, period_start, period_end, run_id, CAST(sum(flights) AS BIGINT) FROM {view} GROUP BY period, period_start, period_end, run_id ORDER BY period_start");
        Assert.Equal(2, periods.Rows.Count);
        foreach (var (run, row) in runs.OrderBy(r => r.Due).Zip(periods.Rows))
        {
            Assert.Equal(run.Period, row[0]);
            Assert.Equal(run.Due.UtcDateTime.AddDays(-1), Time(row[1]));
            Assert.Equal(run.Due.UtcDateTime, Time(row[2]));
            Assert.Equal(run.RunId, row[3]);
            var direct = await warehouse.QueryAsync($"SELECT count(*) FROM flights WHERE event_date = DATE '{run.Due.UtcDateTime.AddDays(-1):yyyy-MM-dd}'");
            Assert.Equal(Number(direct.Rows[0][0]), Number(row[4]));
        }
    }

    private static async Task<long> CountAsync(IWarehouseQuery warehouse, string from) =>
        Convert.ToInt64((await warehouse.QueryAsync($"SELECT count(*) FROM {from}")).Rows[0][0], CultureInfo.InvariantCulture);

    private static double Number(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static DateTime Time(object? value) => value switch
    {
        DateTime time => time,
        DateTimeOffset time => time.UtcDateTime,
        DateOnly day => day.ToDateTime(TimeOnly.MinValue),
        _ => throw new InvalidCastException($"{value} ({value?.GetType().Name}) is no time"),
    };
}
