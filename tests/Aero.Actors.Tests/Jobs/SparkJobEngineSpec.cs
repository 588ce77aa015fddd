using Aero.Actors.Jobs;
using Aero.Actors.Jobs.Engines;
using Aero.FakeSparkConnect;
using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Akka.Event;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>
/// Issue 18 §2 (engines, Spark Connect) and §3 (a cancelled run stops its engine's work): jobs on the spark engine,
/// which the node registers when aero.jobs.spark-connect has an endpoint, run against the fake Spark Connect server
/// while their runs are kept in a DuckDB warehouse's _aero_jobs.
/// </summary>
public sealed class SparkJobEngineSpec : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    private const string Origins = """
        spark-origins {
          schedule = "every 1h"
          engine = spark
          sql = "SELECT origin, CAST(COUNT(*) AS BIGINT) AS departures FROM flights WHERE flight_date < CAST({period_end} AS DATE) GROUP BY origin"
          parameters.period = interval
          output = job_spark_origins
        }
        """;

    private readonly DuckDbTestStore _store = new();
    private readonly ManualClock _clock = new(Start);

    public void Dispose() => _store.Dispose();

    [Fact]
    public async Task A_scheduled_spark_job_should_replace_its_periods_rows_record_its_runs_and_release_its_session()
    {
        await using var server = await FakeSparkConnectServer.StartAsync();
        await using var warehouse = await _store.OpenAsync();
        await using var scheduler = await SchedulerAsync(server, warehouse, Origins);
        var origins = (long)(await server.QueryAsync("SELECT COUNT(DISTINCT origin) FROM flights"))[0][0]!;

        Assert.Equal(["spark-origins@2026-12-07T10:00:00.000Z"], await scheduler.TickAsync(CancellationToken.None));
        await scheduler.WhenIdleAsync().WaitAsync(Wait);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["spark-origins@2026-12-07T11:00:00.000Z"], await scheduler.TickAsync(CancellationToken.None));
        await scheduler.WhenIdleAsync().WaitAsync(Wait);
        // Run again: the period's partition is overwritten, not added to, and the other period is untouched.
        await scheduler.RunNowAsync("spark-origins", Start, CancellationToken.None);
        await scheduler.WhenIdleAsync().WaitAsync(Wait);

        var perPeriod = await server.QueryAsync("SELECT period, COUNT(*), CAST(SUM(departures) AS BIGINT) FROM job_spark_origins GROUP BY period ORDER BY period");
        Assert.Equal(
            [["2026-12-07T09:00:00.000Z/2026-12-07T10:00:00.000Z", origins, (long)FakeSparkConnectServer.FlightRows], ["2026-12-07T10:00:00.000Z/2026-12-07T11:00:00.000Z", origins, (long)FakeSparkConnectServer.FlightRows]],
            perPeriod);
        foreach (var runId in new[] { "spark-origins@2026-12-07T10:00:00.000Z", "spark-origins@2026-12-07T11:00:00.000Z" })
        {
            var run = (await scheduler.GetAsync(runId, CancellationToken.None))!;
            Assert.Equal(("spark", JobRunState.Succeeded, (long?)origins), (run.Engine, run.State, run.RowsWritten));
        }

        // Three runs of three operations each (create, overwrite, count), each tagged with its run.
        var executed = server.Requests.Where(request => request.Rpc == "ExecutePlan").ToList();
        Assert.Equal(9, executed.Count);
        Assert.All(executed, request => Assert.StartsWith(SparkJobEngine.Tag("spark-origins@"), Assert.Single(request.Tags), StringComparison.Ordinal));
        // The coordinator stops: its session ends on the server.
        await scheduler.DisposeAsync();
        Assert.True(Assert.Single(server.Sessions).Released);
    }

    [Fact]
    public async Task Cancelling_a_spark_run_should_interrupt_its_statement_on_the_server_and_record_it_cancelled()
    {
        // Each statement takes ten minutes on this server unless interrupted.
        await using var server = await FakeSparkConnectServer.StartAsync(new FakeSparkConnectOptions { CommandDelay = TimeSpan.FromMinutes(10) });
        await using var warehouse = await _store.OpenAsync();
        await using var scheduler = await SchedulerAsync(server, warehouse, Origins);

        var started = await scheduler.RunNowAsync("spark-origins", Start, CancellationToken.None);
        var operation = await server.WaitForBatchesAsync(SparkJobEngine.Tag(started.RunId), 0, Wait);
        Assert.True(await scheduler.CancelAsync(started.RunId, CancellationToken.None));

        await operation.Stopped.WaitAsync(Wait);
        Assert.Equal(FakeOperationState.Interrupted, operation.State);
        Assert.Contains(server.Requests, request => request.Rpc == "Interrupt" && request.OperationId == operation.Id);
        Assert.Equal(JobRunState.Cancelled, (await scheduler.GetAsync(started.RunId, CancellationToken.None))!.State);
        Assert.DoesNotContain(server.Sessions.SelectMany(session => session.Operations.Values), o => o.State == FakeOperationState.Running);
    }

    [Fact]
    public async Task The_node_should_have_a_spark_engine_only_when_spark_connect_has_an_endpoint()
    {
        await using var warehouse = await _store.OpenAsync();
        Assert.DoesNotContain("spark", JobsRuntime.Create(JobConfig.Node, warehouse).Engines.Keys);
        var withSpark = JobsRuntime.Create(JobConfig.With("aero.jobs.spark-connect.endpoint = \"http://127.0.0.1:15002\""), warehouse);
        Assert.IsType<SparkJobEngine>(withSpark.Engines["spark"]);
    }

    private async Task<JobScheduler> SchedulerAsync(FakeSparkConnectServer server, IWarehouse warehouse, string definitions)
    {
        var node = JobsRuntime.Create(JobConfig.With($"aero.jobs.spark-connect {{ endpoint = \"{server.Endpoint}\", retry {{ min-backoff = 10ms, max-backoff = 50ms }} }}"), warehouse);
        var settings = JobConfig.Only(definitions, node.Engines.ToDictionary(e => e.Key, e => e.Value.Dialect), "lease = 2m");
        var scheduler = new JobScheduler(settings, node.Engines, node.Store, _clock, "coordinator-spark", NoLogger.Instance);
        await scheduler.StartAsync(CancellationToken.None);
        return scheduler;
    }
}
