using Aero.Actors.Jobs;
using Aero.Actors.Jobs.Engines;
using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Akka.Event;
using Xunit;

namespace Aero.Actors.Tests.Jobs;

/// <summary>
/// Issue 18 §1 and §3 (tests): the scheduler over one PostgreSQL <c>_aero_jobs</c>, as two coordinators would share it;
/// time moves only when the spec moves the clock.
/// </summary>
public sealed class JobSchedulerSpec : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly ManualClock _clock = new(Start);
    private readonly List<IAsyncDisposable> _disposables = [];
    private PostgresTestStore _store = null!;

    public async Task InitializeAsync() => _store = await PostgresTestStore.CreateAsync();

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }

        await _store.DisposeAsync();
    }

    [Fact]
    public async Task A_coordinator_failover_mid_run_should_not_run_the_period_twice()
    {
        var settings = Settings("""hourly { schedule = "every 1h", sql = "SELECT 1 AS one", output = job_once }""");
        var (first, firstEngine) = await SchedulerAsync("coordinator-a", settings, open: false);
        var (second, secondEngine) = await SchedulerAsync("coordinator-b", settings, open: true);

        Assert.Equal(["hourly@2026-12-07T10:00:00.000Z"], await first.TickAsync(CancellationToken.None));
        await firstEngine.FirstStarted.Task.WaitAsync(Wait);
        // The new coordinator sees the run in progress, under a lease the first one renews.
        _clock.Advance(TimeSpan.FromMinutes(1));
        await first.TickAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(await second.TickAsync(CancellationToken.None));

        // The first coordinator goes silent (its node died mid-run): once its lease ran out, the period runs again, once.
        _clock.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(["hourly@2026-12-07T10:00:00.000Z"], await second.TickAsync(CancellationToken.None));
        await second.WhenIdleAsync().WaitAsync(Wait);
        // The first one's work arrives late: its transaction finds its claim taken and rolls back.
        firstEngine.Open();
        await first.WhenIdleAsync().WaitAsync(Wait);

        Assert.Equal((1, 1, 0), (firstEngine.Started, secondEngine.Committed, firstEngine.Committed));
        var run = (await second.GetAsync("hourly@2026-12-07T10:00:00.000Z", CancellationToken.None))!;
        Assert.Equal((JobRunState.Succeeded, 2, 1L), (run.State, run.Attempt, run.RowsWritten));
        Assert.Empty(await second.TickAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Periods_missed_during_downtime_should_run_once_each_after_it()
    {
        var settings = Settings("""hourly { schedule = "every 1h", sql = "SELECT {period} AS covered", output = job_hourly, parameters.period = interval }""");
        var (first, _) = await SchedulerAsync("coordinator-a", settings, open: true);
        await first.TickAsync(CancellationToken.None);
        await first.WhenIdleAsync().WaitAsync(Wait);
        await first.DisposeAsync();

        _clock.Advance(TimeSpan.FromHours(4.5));
        var (second, engine) = await SchedulerAsync("coordinator-b", settings, open: true);
        var started = await second.TickAsync(CancellationToken.None);
        await second.WhenIdleAsync().WaitAsync(Wait);

        Assert.Equal(["11", "12", "13", "14"], started.Select(id => id.Substring("hourly@2026-12-07T".Length, 2)));
        Assert.Equal(4, engine.Committed);
        Assert.Empty(await second.TickAsync(CancellationToken.None));
        var history = await second.HistoryAsync("hourly", 10, CancellationToken.None);
        Assert.Equal(5, history.Count);
        Assert.All(history, r => Assert.Equal(JobRunState.Succeeded, r.State));
        var rows = await QueryAsync("SELECT period, covered FROM job_hourly ORDER BY period");
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal(r[0], r[1]));
        Assert.Equal("2026-12-07T13:00:00.000Z/2026-12-07T14:00:00.000Z", rows[^1][0]);
    }

    [Fact]
    public async Task A_failing_job_should_be_retried_after_its_back_off_then_recorded_failed_with_the_engine_message()
    {
        var settings = Settings("""broken { schedule = "every 1h", sql = "SELECT * FROM no_such_table", output = job_broken, retries = 2, backoff.min = 10s, backoff.max = 1m }""");
        var (scheduler, engine) = await SchedulerAsync("coordinator-a", settings, open: true);
        const string runId = "broken@2026-12-07T10:00:00.000Z";

        await scheduler.TickAsync(CancellationToken.None);
        await scheduler.WhenIdleAsync().WaitAsync(Wait);
        var first = (await scheduler.GetAsync(runId, CancellationToken.None))!;
        Assert.Equal(JobRunState.Retrying, first.State);
        Assert.Contains("no_such_table", first.Error, StringComparison.Ordinal);

        // Not before its back-off is over: 10 s after the first attempt, then 20 s after the second.
        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(await scheduler.TickAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([runId], await scheduler.TickAsync(CancellationToken.None));
        await scheduler.WhenIdleAsync().WaitAsync(Wait);
        _clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Empty(await scheduler.TickAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([runId], await scheduler.TickAsync(CancellationToken.None));
        await scheduler.WhenIdleAsync().WaitAsync(Wait);

        var failed = (await scheduler.GetAsync(runId, CancellationToken.None))!;
        Assert.Equal((JobRunState.Failed, 3, 3), (failed.State, failed.Attempt, engine.Started));
        Assert.Contains("relation \"no_such_table\" does not exist", failed.Error, StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(["broken@2026-12-07T11:00:00.000Z"], await scheduler.TickAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_run_should_stop_its_engine_work_and_be_recorded_cancelled()
    {
        var settings = Settings("""slow { schedule = "every 1h", sql = "SELECT 1 AS slept FROM pg_sleep(120)", output = job_slow }""");
        var (scheduler, _) = await SchedulerAsync("coordinator-a", settings, open: true);
        const string runId = "slow@2026-12-07T10:00:00.000Z";
        await scheduler.TickAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow + Wait;
        while ((await SleepingQueriesAsync()) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The job's query never showed in pg_stat_activity.");
            await Task.Delay(20);
        }

        Assert.True(await scheduler.CancelAsync(runId, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Empty(scheduler.Running);
        Assert.Equal(0, await SleepingQueriesAsync());
        var run = (await scheduler.GetAsync(runId, CancellationToken.None))!;
        Assert.Equal(JobRunState.Cancelled, run.State);
        // Its transaction rolled back whole: not even the output table it created is there.
        Assert.Equal(true, (await QueryAsync("SELECT to_regclass('job_slow') IS NULL"))[0][0]);
    }

    [Fact]
    public async Task A_succeeded_and_a_failed_run_should_move_the_jobs_counters()
    {
        // Issue 18 "jobs metrics": what /metrics shows per job (the node bridges meter Aero.Jobs).
        using var measured = new JobMeasurements("metered-ok", "metered-broken");
        var settings = Settings("""
            metered-ok { schedule = "every 1h", sql = "SELECT 1 AS one UNION ALL SELECT 2", output = job_metered_ok }
            metered-broken { schedule = "every 1h", sql = "SELECT * FROM no_such_table", output = job_metered_broken, retries = 1, backoff.min = 10s }
            """);
        var (scheduler, _) = await SchedulerAsync("coordinator-a", settings, open: true);
        // Declared at zero before any run, so their series exist.
        Assert.Equal((1, 1, 1, 1, 1, 1), (measured.Count("aero_jobs_runs_started", "metered-ok"), measured.Count("aero_jobs_runs_succeeded", "metered-ok"),
            measured.Count("aero_jobs_runs_retried", "metered-ok"), measured.Count("aero_jobs_runs_failed", "metered-ok"),
            measured.Count("aero_jobs_runs_cancelled", "metered-ok"), measured.Count("aero_jobs_rows_written", "metered-ok")));

        await scheduler.TickAsync(CancellationToken.None);
        await scheduler.WhenIdleAsync().WaitAsync(Wait);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await scheduler.TickAsync(CancellationToken.None);
        await scheduler.WhenIdleAsync().WaitAsync(Wait);

        Assert.Equal((1, 1, 0, 0, 2), Runs(measured, "metered-ok"));
        Assert.Equal((2, 0, 1, 1, 0), Runs(measured, "metered-broken"));
        Assert.Equal((1, 0, 1, 1), (measured.Count("aero_jobs_run_duration_seconds", "metered-ok", "succeeded"), measured.Count("aero_jobs_run_duration_seconds", "metered-ok", "failed"),
            measured.Count("aero_jobs_run_duration_seconds", "metered-broken", "retried"), measured.Count("aero_jobs_run_duration_seconds", "metered-broken", "failed")));
        Assert.InRange(measured.Sum("aero_jobs_run_duration_seconds", "metered-ok", "succeeded"), 1e-6, Wait.TotalSeconds);
    }

    [Fact]
    public async Task A_cancelled_run_should_count_as_cancelled()
    {
        // Issue 18 "jobs metrics": a run waiting for its retry, cancelled by an operator.
        using var measured = new JobMeasurements("metered-cancel");
        var settings = Settings("""metered-cancel { schedule = "every 1h", sql = "SELECT * FROM no_such_table", output = job_metered_cancel, retries = 1, backoff.min = 10s }""");
        var (scheduler, _) = await SchedulerAsync("coordinator-a", settings, open: true);
        await scheduler.TickAsync(CancellationToken.None);
        await scheduler.WhenIdleAsync().WaitAsync(Wait);

        Assert.True(await scheduler.CancelAsync("metered-cancel@2026-12-07T10:00:00.000Z", CancellationToken.None));

        Assert.Equal((1, 0, 1, 0, 0), Runs(measured, "metered-cancel"));
        Assert.Equal(1, measured.Sum("aero_jobs_runs_cancelled", "metered-cancel"));
    }

    [Fact]
    public async Task A_job_should_run_the_jobs_its_then_names_in_order_once_it_succeeded()
    {
        // Each then job records what it saw: the one before it had run, the one after it had not, the first was still running.
        var settings = Settings("""
            first { schedule = "every 1h", sql = "SELECT 1 AS one", output = job_then_first, then = [second, third] }
            second { schedule = "every 1h", sql = "SELECT (SELECT count(*) FROM _aero_jobs WHERE job = 'third') AS thirds, (SELECT state FROM _aero_jobs WHERE job = 'first') AS first_state", output = job_then_second }
            third { schedule = "every 1h", sql = "SELECT (SELECT count(*) FROM _aero_jobs WHERE job = 'second' AND state = 'succeeded') AS seconds", output = job_then_third }
            """);
        var (scheduler, engine) = await SchedulerAsync("coordinator-a", settings, open: true);

        var first = await scheduler.RunNowAsync("first", null, CancellationToken.None);
        await scheduler.WhenIdleAsync().WaitAsync(Wait);

        Assert.Equal(JobRunState.Succeeded, (await scheduler.GetAsync(first.RunId, CancellationToken.None))!.State);
        Assert.Equal(3, engine.Committed);
        Assert.Equal([0L, "running"], (await QueryAsync("SELECT thirds, first_state FROM job_then_second"))[0]);
        Assert.Equal(1L, (await QueryAsync("SELECT seconds FROM job_then_third"))[0][0]);
        Assert.All(await QueryAsync("SELECT state FROM _aero_jobs"), r => Assert.Equal("succeeded", r[0]));
    }

    [Fact]
    public async Task A_then_job_that_fails_should_fail_the_run_that_asked_for_it_with_its_message()
    {
        var settings = Settings("""
            first { schedule = "every 1h", sql = "SELECT 1 AS one", output = job_then_ok, then = [broken, never], retries = 0 }
            broken { schedule = "every 1h", sql = "SELECT * FROM no_such_table", output = job_then_broken, retries = 0 }
            never { schedule = "every 1h", sql = "SELECT 1 AS one", output = job_then_never }
            """);
        var (scheduler, _) = await SchedulerAsync("coordinator-a", settings, open: true);

        var first = await scheduler.RunNowAsync("first", null, CancellationToken.None);
        await scheduler.WhenIdleAsync().WaitAsync(Wait);

        var run = (await scheduler.GetAsync(first.RunId, CancellationToken.None))!;
        Assert.Equal(JobRunState.Failed, run.State);
        Assert.Contains("broken@2026-12-07T10:00:00.000Z failed: ", run.Error, StringComparison.Ordinal);
        Assert.Contains("no_such_table", run.Error, StringComparison.Ordinal);
        Assert.Equal(["broken", "first"], (await QueryAsync("SELECT job FROM _aero_jobs ORDER BY job")).Select(r => r[0]));
    }

    [Fact]
    public async Task A_flow_should_never_overlap_itself_and_should_run_once_for_the_due_times_it_missed()
    {
        var settings = Settings("""incoming { engine = flow, schedule = "every 1m", flow.watch = "/nowhere" }""");
        var warehouse = await _store.OpenAsync();
        _disposables.Add(warehouse);
        var engine = new GatedEngine(new NoFilesFlowEngine(), open: false);
        var scheduler = new JobScheduler(settings, new Dictionary<string, IJobEngine> { ["flow"] = engine }, new JobRunStore((IWarehouseTransactions)warehouse, warehouse), _clock, "coordinator-a", NoLogger.Instance);
        _disposables.Add(scheduler);
        await scheduler.StartAsync(CancellationToken.None);

        Assert.Equal(["incoming@2026-12-07T10:00:00.000Z"], await scheduler.TickAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(3));
        // Still running: the three due times since wait.
        Assert.Empty(await scheduler.TickAsync(CancellationToken.None));
        engine.Open();
        await scheduler.WhenIdleAsync().WaitAsync(Wait);

        Assert.Equal(["incoming@2026-12-07T10:03:00.000Z"], await scheduler.TickAsync(CancellationToken.None));
        await scheduler.WhenIdleAsync().WaitAsync(Wait);
        Assert.Equal(2, engine.Committed);
    }

    private static (double Started, double Succeeded, double Retried, double Failed, double Rows) Runs(JobMeasurements measured, string job) =>
        (measured.Sum("aero_jobs_runs_started", job), measured.Sum("aero_jobs_runs_succeeded", job), measured.Sum("aero_jobs_runs_retried", job),
            measured.Sum("aero_jobs_runs_failed", job), measured.Sum("aero_jobs_rows_written", job));

    private static JobsSettings Settings(string definitions) => JobConfig.Only(definitions, JobConfig.PostgresEngines, "tick-interval = 1s, lease = 2m");

    private async Task<(JobScheduler Scheduler, GatedEngine Engine)> SchedulerAsync(string owner, JobsSettings settings, bool open)
    {
        var warehouse = await _store.OpenAsync();
        _disposables.Add(warehouse);
        var engine = new GatedEngine(new WarehouseSqlEngine("warehouse", "postgres", (IWarehouseTransactions)warehouse), open);
        var scheduler = new JobScheduler(settings, new Dictionary<string, IJobEngine> { ["warehouse"] = engine }, new JobRunStore((IWarehouseTransactions)warehouse, warehouse), _clock, owner, NoLogger.Instance);
        _disposables.Add(scheduler);
        await scheduler.StartAsync(CancellationToken.None);
        return (scheduler, engine);
    }

    private async Task<IReadOnlyList<object?[]>> QueryAsync(string sql)
    {
        await using var warehouse = await _store.OpenAsync();
        return (await warehouse.QueryAsync(sql)).Rows;
    }

    /// <summary>A flow's engine over an empty folder: the scheduler's part of a flow, without Kafka.</summary>
    private sealed class NoFilesFlowEngine : IJobEngine
    {
        public string Name => JobsSettings.FlowEngine;

        public string Dialect => JobsSettings.FlowEngine;

        public Task<long> RunAsync(JobRunRequest request, CancellationToken cancellation) =>
            request.Flow is null ? throw new ArgumentException("not a flow's run", nameof(request)) : Task.FromResult(0L);
    }

    private async Task<long> SleepingQueriesAsync() =>
        (long)(await QueryAsync("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep(120)%' AND pid <> pg_backend_pid()"))[0][0]!;
}
