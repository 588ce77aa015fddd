using Aero.Actors.Jobs;
using Akka.Configuration;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>Issue 18 §1: job definitions in HOCON, and the bad ones refused at start naming the job and the key.</summary>
public sealed class JobsSettingsSpec
{
    [Fact]
    public void The_built_in_jobs_should_be_read_from_the_node_configuration()
    {
        var settings = JobsSettings.Create(JobConfig.Node, JobConfig.DuckDbEngines);

        Assert.Equal(["airline-ranking", "airport-congestion", "dashboard-summary", "delay-propagation", "delays-by-month", "top-routes"], settings.Jobs.Select(j => j.Name));
        Assert.All(settings.Jobs, j => Assert.Equal(JobPeriodKind.All, j.Period));
        Assert.Equal("job_delays_by_month", settings.Job("delays-by-month").Output);
        Assert.Contains("TIMESTAMP_TRUNC", JobSqlText.For(settings.Job("delay-propagation").Sql, "bigquery"), StringComparison.Ordinal);
        Assert.Contains("date_trunc", JobSqlText.For(settings.Job("delay-propagation").Sql, "duckdb"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_definition_should_take_what_it_leaves_out_from_the_defaults()
    {
        var job = JobConfig.Only("""
            hourly { schedule = "every 15m", sql = "SELECT 1 AS one", output = t, retries = 5, parameters.period = interval }
            """).Job("hourly");

        Assert.Equal(5, job.Retries);
        Assert.Equal("warehouse", job.Engine);
        Assert.Equal(JobPeriodKind.Interval, job.Period);
        Assert.Null(job.Window);
        Assert.Equal(TimeSpan.FromMinutes(30), job.Timeout);
        var due = new DateTimeOffset(2026, 12, 7, 10, 30, 0, TimeSpan.Zero);
        Assert.Equal(new JobPeriod(due, due.AddMinutes(-15), due), job.PeriodAt(due));
    }

    [Theory]
    [InlineData("""bad { schedule = "61 * * * *", sql = "SELECT 1", output = t }""", "aero.jobs.definitions.bad.schedule")]
    [InlineData("""bad { schedule = "every 0s", sql = "SELECT 1", output = t }""", "aero.jobs.definitions.bad.schedule")]
    [InlineData("""bad { engine = oracle, sql = "SELECT 1", output = t }""", "aero.jobs.definitions.bad.engine")]
    [InlineData("""bad { sql = "SELECT 1", output = t, parameters.lookback = 1d }""", "aero.jobs.definitions.bad.parameters.lookback")]
    [InlineData("""bad { sql = "SELECT * FROM flights WHERE event_time >= {since}", output = t, parameters.period = interval }""", "aero.jobs.definitions.bad.sql")]
    [InlineData("""bad { sql = "SELECT * FROM flights WHERE event_time >= {period_start}", output = t }""", "aero.jobs.definitions.bad.sql")]
    [InlineData("""bad { sql.oracle = "SELECT 1", output = t }""", "aero.jobs.definitions.bad.sql.oracle")]
    [InlineData("""bad { sql.bigquery = "SELECT 1", output = t }""", "aero.jobs.definitions.bad.sql")]
    [InlineData("""bad { sql = "SELECT 1", output = "t; DROP TABLE flights" }""", "aero.jobs.definitions.bad.output")]
    [InlineData("""bad { sql = "SELECT 1", output = t, retry = 2 }""", "aero.jobs.definitions.bad.retry")]
    [InlineData("""bad { sql = "SELECT 1", output = t, backoff.min = 1m, backoff.max = 1s }""", "aero.jobs.definitions.bad.backoff")]
    [InlineData("""bad { sql = "SELECT 1", output = t, parameters.period = weekly }""", "aero.jobs.definitions.bad.parameters.period")]
    [InlineData("""bad { sql = "SELECT 1 AS flights", output = t, measures = ["flights; DROP TABLE flights"] }""", "aero.jobs.definitions.bad.measures")]
    [InlineData("""bad { engine = flow, flow.watch = "/in", sql = "SELECT 1" }""", "aero.jobs.definitions.bad.sql")]
    [InlineData("""bad { engine = flow, flow.watch = "/in", output = t }""", "aero.jobs.definitions.bad.output")]
    [InlineData("""bad { engine = flow }""", "aero.jobs.definitions.bad.flow")]
    [InlineData("""bad { engine = flow, flow { watch = "/in", glob = "*.csv" } }""", "aero.jobs.definitions.bad.flow.glob")]
    [InlineData("""bad { engine = flow, flow { watch = "/in", pattern = "sub/*.csv" } }""", "aero.jobs.definitions.bad.flow.pattern")]
    [InlineData("""bad { engine = flow, flow { watch = "/in", settle = -1s } }""", "aero.jobs.definitions.bad.flow.settle")]
    [InlineData("""bad { sql = "SELECT 1", output = t, flow.watch = "/in" }""", "aero.jobs.definitions.bad.flow")]
    [InlineData("""bad { sql = "SELECT 1", output = t, then = [missing] }""", "aero.jobs.definitions.bad.then")]
    [InlineData("bad { sql = \"SELECT 1\", output = t, then = [worse] }\nworse { sql = \"SELECT 1\", output = u, then = [bad] }", "aero.jobs.definitions.bad.then")]
    public void A_bad_definition_should_be_refused_naming_the_job_and_the_key(string definition, string key)
    {
        var error = Assert.Throws<ConfigurationException>(() => JobConfig.Only(definition));

        Assert.StartsWith(key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flow_should_be_read_with_its_folder_and_the_jobs_it_runs_in_order()
    {
        var settings = JobConfig.Only("""
            incoming { engine = flow, schedule = "every 1m", flow.watch = "/data/incoming", flow.pattern = "*.csv", then = [second, first], retries = 1 }
            first { sql = "SELECT 1 AS one", output = t1 }
            second { sql = "SELECT 2 AS two", output = t2 }
            """);

        var flow = settings.Job("incoming");
        Assert.Equal((JobsSettings.FlowEngine, 1, ""), (flow.Engine, flow.Retries, flow.Output));
        // settle from the defaults: a file copied in is left alone for a while.
        Assert.Equal(new FlowSource("/data/incoming", "*.csv", TimeSpan.FromSeconds(10)), flow.Flow);
        Assert.Equal(["second", "first"], flow.Then);
        Assert.Null(settings.Job("first").Flow);
        Assert.Empty(settings.Job("first").Then);
    }

    [Fact]
    public void A_cron_schedule_should_give_every_due_time_missed_and_the_latest_one()
    {
        var schedule = JobSchedule.Parse("0 */6 * * *", "key");
        var from = new DateTimeOffset(2026, 12, 7, 1, 0, 0, TimeSpan.Zero);

        Assert.Equal([from.AddHours(5), from.AddHours(11), from.AddHours(17)], schedule.Between(from, from.AddHours(17)));
        Assert.Equal(from.AddHours(-1), schedule.LatestAtOrBefore(from));
    }
}
