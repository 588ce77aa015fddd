using System.Collections.Concurrent;
using System.Diagnostics;
using Aero.Warehouse;
using Akka.Event;

namespace Aero.Actors.Jobs;

/// <summary>
/// The coordinator's job scheduler, without the actor: each <see cref="TickAsync"/> claims the periods that fell due
/// since each job's latest recorded run (so a restart catches up what it missed, up to <c>max-catch-up</c>), the retries
/// whose back-off is over and the runs whose coordinator's lease ran out, and starts them on their engines. A run's
/// outcome is recorded in <c>_aero_jobs</c>; a failing engine is a failed or retried run, never an exception here.
/// The clock is injected, so specs move time instead of waiting.
/// </summary>
public sealed class JobScheduler : IAsyncDisposable
{
    private readonly JobsSettings _settings;
    private readonly IReadOnlyDictionary<string, IJobEngine> _engines;
    private readonly JobRunStore _store;
    private readonly TimeProvider _clock;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, RunningJob> _running = new(StringComparer.Ordinal);
    private int _disposed;

    /// <param name="engines">By the name a job's <c>engine</c> gives; every job's engine must be here.</param>
    /// <param name="owner">This scheduler's name in the claims it takes: unique per coordinator incarnation.</param>
    public JobScheduler(JobsSettings settings, IReadOnlyDictionary<string, IJobEngine> engines, JobRunStore store, TimeProvider clock, string owner, ILoggingAdapter log)
    {
        foreach (var job in settings.Jobs.Where(j => !engines.ContainsKey(j.Engine)))
        {
            throw new ArgumentException($"Job {job.Name}: no engine {job.Engine} given.", nameof(engines));
        }

        (_settings, _engines, _store, _clock, Owner, _log) = (settings, engines, store, clock, owner, log);
        foreach (var job in settings.Jobs)
        {
            JobMetrics.Declare(job.Name);
        }
    }

    public string Owner { get; }

    public JobsSettings Settings => _settings;

    public async Task StartAsync(CancellationToken cancellation)
    {
        await _store.EnsureTableAsync(cancellation);
        // Each output in the warehouse and its view for Looker exist from the first start, before the job's first run.
        foreach (var job in _settings.Jobs)
        {
            if (_engines[job.Engine] is IJobOutputs outputs)
            {
                try
                {
                    await outputs.EnsureOutputAsync(job, _clock.GetUtcNow(), cancellation);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    _log.Warning("Job {0}: its output {1} and its view could not be created, so its runs will fail too: {2}", job.Name, job.Output, error.Message);
                }
            }
        }

        foreach (var engine in _engines.Values.Distinct())
        {
            await engine.OpenAsync(_log, cancellation);
        }
    }

    /// <summary>Claims and starts what is due now; returns the run ids started.</summary>
    public async Task<IReadOnlyList<string>> TickAsync(CancellationToken cancellation)
    {
        var now = _clock.GetUtcNow();
        var started = new List<string>();
        if (!_running.IsEmpty)
        {
            await _store.RenewAsync(Owner, now + _settings.Lease, cancellation);
        }

        if (_settings.Scheduled)
        {
            var latest = await _store.LatestDueAsync(cancellation);
            foreach (var job in _settings.Jobs)
            {
                var dueTimes = DueTimes(job, latest.TryGetValue(job.Name, out var last) ? last : null, now);
                if (job.Flow is not null)
                {
                    // A flow's runs never overlap (two would both find a file new), and after downtime one run extracts
                    // everything that arrived meanwhile.
                    if (FlowRunsHere(job))
                    {
                        continue;
                    }

                    dueTimes = dueTimes.Count > 1 ? new Queue<DateTimeOffset>([dueTimes.Last()]) : dueTimes;
                }

                foreach (var due in dueTimes)
                {
                    var period = job.PeriodAt(due);
                    var runId = period.RunId(job.Name);
                    if (await _store.TryClaimNewAsync(runId, job, period, Owner, now, _settings.Lease, cancellation))
                    {
                        Start(job, period, runId, attempt: 1);
                        started.Add(runId);
                    }
                }
            }
        }

        foreach (var run in await _store.ClaimableAsync(now, cancellation))
        {
            if (_running.ContainsKey(run.RunId) || _settings.Jobs.FirstOrDefault(j => j.Name == run.Job) is not { } job || FlowRunsHere(job))
            {
                continue;
            }

            if (await _store.TryClaimAsync(run.RunId, Owner, now, _settings.Lease, finishedToo: false, cancellation))
            {
                _log.Info("Job run {0}: attempt {1} ({2})", run.RunId, run.Attempt + 1, run.State == JobRunState.Running ? "its coordinator's lease ran out" : "retry");
                Start(job, job.PeriodAt(run.Due), run.RunId, run.Attempt + 1);
                started.Add(run.RunId);
            }
        }

        return started;
    }

    /// <summary>
    /// Runs <paramref name="name"/> for the period due at <paramref name="due"/> (now when null) at once, whether or not
    /// that period ran before (its rows are replaced); refused while the run is in progress.
    /// </summary>
    public async Task<JobRunRecord> RunNowAsync(string name, DateTimeOffset? due, CancellationToken cancellation)
    {
        var job = _settings.Job(name);
        var now = _clock.GetUtcNow();
        var period = job.PeriodAt(due ?? now);
        var runId = period.RunId(job.Name);
        if (!await _store.TryClaimNewAsync(runId, job, period, Owner, now, _settings.Lease, cancellation)
            && !await _store.TryClaimAsync(runId, Owner, now, _settings.Lease, finishedToo: true, cancellation))
        {
            throw new InvalidOperationException($"Run {runId} is in progress; cancel it first or wait for it.");
        }

        var record = (await _store.GetAsync(runId, cancellation))!;
        Start(job, period, runId, record.Attempt);
        return record;
    }

    /// <summary>Stops a run's engine work when it runs here, and records it cancelled; false when it was not running or retrying.</summary>
    public async Task<bool> CancelAsync(string runId, CancellationToken cancellation)
    {
        // The engine first: its transaction may hold the run's row, which the cancel updates.
        if (_running.TryGetValue(runId, out var running))
        {
            running.CancelledByOperator = true;
            await running.Cancel.CancelAsync();
            await running.Completion;
        }

        if (!await _store.CancelAsync(runId, _clock.GetUtcNow(), cancellation))
        {
            return false;
        }

        JobMetrics.Cancelled.Add(1, JobMetrics.Job((await _store.GetAsync(runId, cancellation))!.Job));
        return true;
    }

    public Task<JobRunRecord?> GetAsync(string runId, CancellationToken cancellation) => _store.GetAsync(runId, cancellation);

    public Task<IReadOnlyList<JobRunRecord>> HistoryAsync(string name, int limit, CancellationToken cancellation) =>
        _store.HistoryAsync(_settings.Job(name).Name, limit, cancellation);

    /// <summary>The run ids executing here now.</summary>
    public IReadOnlyCollection<string> Running => [.. _running.Keys];

    /// <summary>Completes once nothing runs here.</summary>
    public async Task WhenIdleAsync()
    {
        while (_running.Values.Select(r => r.Completion).ToList() is { Count: > 0 } runs)
        {
            await Task.WhenAll(runs);
        }
    }

    /// <summary>Stops every run here; each is recorded for a retry at once, so the next coordinator takes it up without waiting out the lease.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        await WhenIdleAsync();
        foreach (var engine in _engines.Values.Distinct())
        {
            try
            {
                await engine.CloseAsync(CancellationToken.None);
            }
            catch (Exception error)
            {
                _log.Warning("Job engine {0}: closing it failed ({1}); its server ends the session by its own timeout", engine.Name, error.Message);
            }
        }

        _stopping.Dispose();
    }

    /// <summary>Whether <paramref name="job"/> is a flow with a run executing here: its next run (new or retried) waits for it.</summary>
    private bool FlowRunsHere(JobDefinition job) =>
        job.Flow is not null && _running.Keys.Any(id => id.StartsWith(job.Name + "@", StringComparison.Ordinal));

    private Queue<DateTimeOffset> DueTimes(JobDefinition job, DateTimeOffset? last, DateTimeOffset now)
    {
        if (last is null)
        {
            // A job never run starts with its latest due time, not its whole past.
            return job.Schedule.LatestAtOrBefore(now) is { } latest ? new Queue<DateTimeOffset>([latest]) : [];
        }

        var missed = new Queue<DateTimeOffset>();
        var skipped = 0;
        foreach (var due in job.Schedule.Between(last.Value, now))
        {
            missed.Enqueue(due);
            if (missed.Count > _settings.MaxCatchUp)
            {
                missed.Dequeue();
                skipped++;
            }
        }

        if (skipped > 0)
        {
            _log.Warning("Job {0}: {1} due periods since {2} are older than the latest {3} (aero.jobs.max-catch-up) and are not run; run them with aero jobs run {0} --period DUE",
                job.Name, skipped, JobPeriod.Format(last.Value), _settings.MaxCatchUp);
        }

        return missed;
    }

    private void Start(JobDefinition job, JobPeriod period, string runId, int attempt)
    {
        var engine = _engines[job.Engine];
        // A flow has no SQL: its engine extracts files.
        var sql = job.Flow is null ? JobSqlText.Bind(JobSqlText.For(job.Sql, engine.Dialect)!, period, engine.Dialect) : "";
        var running = new RunningJob(runId, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token), new CancellationTokenSource(job.Timeout, _clock));
        _running[runId] = running;
        _log.Info("Job run {0}: attempt {1} on {2}, period {3}", runId, attempt, engine.Name, period.Key);
        JobMetrics.Started.Add(1, JobMetrics.Job(job.Name));
        running.Completion = Task.Run(() => ExecuteAsync(job, engine, new JobRunRequest(runId, attempt, job.Name, sql, job.Output, period.Key, JobRunStore.ClaimGuard(runId, Owner)) { Flow = job.Flow }, attempt, running));
    }

    private async Task ExecuteAsync(JobDefinition job, IJobEngine engine, JobRunRequest request, int attempt, RunningJob running)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(running.Cancel.Token, running.Timeout.Token);
        var began = Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            var rows = await engine.RunAsync(request, linked.Token);
            // A flow that found no new files has nothing for its jobs.
            if (job.Flow is null || rows > 0)
            {
                foreach (var next in job.Then)
                {
                    await RunThenAsync(request.RunId, next, linked.Token);
                }
            }

            var recorded = await _store.SucceedAsync(request.RunId, Owner, rows, _clock.GetUtcNow(), CancellationToken.None);
            outcome = "succeeded";
            JobMetrics.Succeeded.Add(1, JobMetrics.Job(job.Name));
            JobMetrics.RowsWritten.Add(rows, JobMetrics.Job(job.Name));
            _log.Info("Job run {0}: {1} rows written to {2}{3}", request.RunId, rows, job.Output, recorded ? "" : " (its claim had been taken over meanwhile)");
        }
        catch (Exception) when (running.CancelledByOperator)
        {
            // Counted by CancelAsync, which also cancels runs waiting for a retry.
            outcome = "cancelled";
            _log.Info("Job run {0}: cancelled", request.RunId);
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
            outcome = "retried";
            JobMetrics.Retried.Add(1, JobMetrics.Job(job.Name));
            await RecordAsync(request.RunId, () => _store.RetryAsync(request.RunId, Owner, "interrupted: its coordinator stopped", _clock.GetUtcNow(), CancellationToken.None));
        }
        catch (StatementGuardException)
        {
            // Neither outcome is this run's: the coordinator that took the claim over counts it.
            outcome = "taken-over";
            _log.Warning("Job run {0}: rolled back, another coordinator took its claim over", request.RunId);
        }
        catch (Exception error)
        {
            var message = running.Timeout.IsCancellationRequested ? $"timed out after {job.Timeout}" : error.Message;
            if (attempt <= job.Retries)
            {
                var next = _clock.GetUtcNow() + job.BackoffAfter(attempt);
                outcome = "retried";
                JobMetrics.Retried.Add(1, JobMetrics.Job(job.Name));
                _log.Warning("Job run {0}: attempt {1} of {2} failed, retrying at {3}: {4}", request.RunId, attempt, job.Retries + 1, JobPeriod.Format(next), message);
                await RecordAsync(request.RunId, () => _store.RetryAsync(request.RunId, Owner, message, next, CancellationToken.None));
            }
            else
            {
                _log.Error("Job run {0}: failed after {1} attempts: {2}", request.RunId, attempt, message);
                JobMetrics.Failed.Add(1, JobMetrics.Job(job.Name));
                await RecordAsync(request.RunId, () => _store.FailAsync(request.RunId, Owner, message, _clock.GetUtcNow(), CancellationToken.None));
            }
        }
        finally
        {
            JobMetrics.Observe(job.Name, outcome, Stopwatch.GetElapsedTime(began));
            _running.TryRemove(request.RunId, out _);
            running.Dispose();
        }
    }

    /// <summary>
    /// Runs <paramref name="name"/> now, as a run of its own with its own retries, and waits for its outcome: a failed or
    /// cancelled run fails the run that asked for it. When that job's run for now is in progress, it waits for that one
    /// to end and runs again, so the job sees what the asking run did. Cancelled, it cancels the job's run too.
    /// </summary>
    private async Task RunThenAsync(string after, string name, CancellationToken cancellation)
    {
        JobRunRecord? run = null;
        while (run is null)
        {
            try
            {
                run = await RunNowAsync(name, null, cancellation);
            }
            catch (InvalidOperationException)
            {
                await Task.Delay(_settings.TickInterval, _clock, cancellation);
            }
        }

        _log.Info("Job run {0}: runs {1} next", after, run.RunId);
        try
        {
            while (true)
            {
                if (_running.TryGetValue(run.RunId, out var running))
                {
                    await running.Completion.WaitAsync(cancellation);
                }

                var outcome = await _store.GetAsync(run.RunId, cancellation);
                switch (outcome?.State)
                {
                    case JobRunState.Succeeded:
                        return;
                    case JobRunState.Failed or JobRunState.Cancelled:
                        throw new InvalidOperationException($"{run.RunId} {outcome.State.ToString().ToLowerInvariant()}: {outcome.Error}");
                    default:
                        // Waiting for a retry, which a tick starts.
                        await Task.Delay(_settings.TickInterval, _clock, cancellation);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            // Cancelled or timed out: the job's run stops too. A stopping coordinator leaves it for a retry by the next.
            await CancelAsync(run.RunId, CancellationToken.None);
            throw;
        }
    }

    /// <summary>A run's outcome that cannot be recorded (the warehouse is away) is logged; its lease runs out and it runs again.</summary>
    private async Task RecordAsync(string runId, Func<Task<bool>> record)
    {
        try
        {
            await record();
        }
        catch (Exception error)
        {
            _log.Error(error, "Job run {0}: its outcome could not be recorded in {1}; it runs again once its lease runs out", runId, JobRunStore.Table);
        }
    }
}
