using Aero.Warehouse;
using Aero.Warehouse.BigQuery;

namespace Aero.Actors.Jobs;

/// <summary>
/// The runs in the warehouse's <c>_aero_jobs</c>, keyed by run id (job and due time), so every coordinator sees the same
/// runs: a claim is a conditional insert or update, so of two coordinators only one gets a period, and a claim whose
/// lease ran out (its coordinator died) can be taken over. Times are fixed-width UTC text, the same in every dialect.
/// Every change is one statement. On BigQuery, which has no unique keys, a new run is claimed by a MERGE that inserts
/// only when no row has its id; BigQuery runs mutating DML (UPDATE, MERGE) on a table one after another, so of two
/// coordinators' claims the second finds the first's row (or fails on the conflict, which claims nothing).
/// </summary>
public sealed class JobRunStore
{
    public const string Table = JobRunsTable.Name;
    private const string Columns = "run_id, job, period, due, engine, state, attempt, owner, lease_until, next_attempt_at, started_at, ended_at, rows_written, error";

    private readonly Func<string, CancellationToken, Task<long>> _execute;
    private readonly IWarehouseQuery _query;
    private readonly bool _bigQuery;

    /// <summary>The runs in a DuckDB or PostgreSQL warehouse.</summary>
    public JobRunStore(IWarehouseTransactions transactions, IWarehouseQuery query)
        : this(async (sql, cancellation) => (await transactions.ExecuteInTransactionAsync([new(sql)], cancellation))[0], query, bigQuery: false)
    {
    }

    private JobRunStore(Func<string, CancellationToken, Task<long>> execute, IWarehouseQuery query, bool bigQuery)
    {
        _execute = execute;
        _query = query;
        _bigQuery = bigQuery;
    }

    /// <summary>The runs in a BigQuery warehouse's dataset.</summary>
    public static JobRunStore OnBigQuery(BigQueryWarehouse warehouse) => new(warehouse.ExecuteDmlAsync, warehouse, bigQuery: true);

    /// <summary>The flows' ledger of extracted files, in the same warehouse and dialect as the runs.</summary>
    public FlowFileStore FlowFiles => new(_execute, _query, _bigQuery);

    public async Task EnsureTableAsync(CancellationToken cancellation)
    {
        // A BigQuery warehouse creates it when it opens (a table, not a query job).
        if (!_bigQuery)
        {
            await _execute(JobRunsTable.Create(), cancellation);
        }
    }

    /// <summary>Claims a run never recorded; false when any coordinator recorded it already.</summary>
    public async Task<bool> TryClaimNewAsync(string runId, JobDefinition job, JobPeriod period, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellation)
    {
        var values = string.Join(", ", Q(runId), Q(job.Name), Q(period.Key), T(period.Due), Q(job.Engine), Q(Name(JobRunState.Running)), "1", Q(owner), T(now + lease), "NULL", T(now), "NULL", "NULL", "NULL");
        var sql = _bigQuery
            ? $"MERGE INTO {Table} t USING (SELECT {Q(runId)} AS run_id) s ON t.run_id = s.run_id WHEN NOT MATCHED THEN INSERT ({Columns}) VALUES ({values})"
            : $"INSERT INTO {Table} ({Columns}) VALUES ({values}) ON CONFLICT (run_id) DO NOTHING";
        return await _execute(sql, cancellation) == 1;
    }

    /// <summary>
    /// Claims a recorded run that is due again: its retry's back-off is over, or its claim's lease ran out; with
    /// <paramref name="finishedToo"/> (asked for by an operator), also a run that ended.
    /// </summary>
    public async Task<bool> TryClaimAsync(string runId, string owner, DateTimeOffset now, TimeSpan lease, bool finishedToo, CancellationToken cancellation)
    {
        var finished = finishedToo ? $" OR state IN ({Q(Name(JobRunState.Retrying))}, {Q(Name(JobRunState.Succeeded))}, {Q(Name(JobRunState.Failed))}, {Q(Name(JobRunState.Cancelled))})" : "";
        var attempt = finishedToo ? "CASE WHEN state = " + Q(Name(JobRunState.Retrying)) + " THEN attempt + 1 ELSE 1 END" : "attempt + 1";
        var affected = await _execute(
            $"""
                UPDATE {Table} SET state = {Q(Name(JobRunState.Running))}, attempt = {attempt}, owner = {Q(owner)}, lease_until = {T(now + lease)},
                  next_attempt_at = NULL, started_at = {T(now)}, ended_at = NULL, rows_written = NULL, error = NULL
                WHERE run_id = {Q(runId)} AND ((state = {Q(Name(JobRunState.Retrying))} AND next_attempt_at <= {T(now)})
                  OR (state = {Q(Name(JobRunState.Running))} AND lease_until < {T(now)}){finished})
                """,
            cancellation);
        return affected == 1;
    }

    /// <summary>The statement that affects a row only while <paramref name="owner"/> holds the run's claim.</summary>
    public static TransactionStatement ClaimGuard(string runId, string owner) =>
        new($"UPDATE {Table} SET owner = owner WHERE run_id = {JobSqlText.Text(runId)} AND owner = {JobSqlText.Text(owner)} AND state = {JobSqlText.Text(Name(JobRunState.Running))}", MustAffectRows: true);

    public Task RenewAsync(string owner, DateTimeOffset leaseUntil, CancellationToken cancellation) =>
        _execute($"UPDATE {Table} SET lease_until = {T(leaseUntil)} WHERE owner = {Q(owner)} AND state = {Q(Name(JobRunState.Running))}", cancellation);

    public Task<bool> SucceedAsync(string runId, string owner, long rows, DateTimeOffset now, CancellationToken cancellation) =>
        FinishAsync(runId, owner, $"state = {Q(Name(JobRunState.Succeeded))}, rows_written = {rows}, ended_at = {T(now)}, error = NULL", cancellation);

    public Task<bool> RetryAsync(string runId, string owner, string error, DateTimeOffset nextAttempt, CancellationToken cancellation) =>
        FinishAsync(runId, owner, $"state = {Q(Name(JobRunState.Retrying))}, next_attempt_at = {T(nextAttempt)}, error = {Q(error)}", cancellation);

    public Task<bool> FailAsync(string runId, string owner, string error, DateTimeOffset now, CancellationToken cancellation) =>
        FinishAsync(runId, owner, $"state = {Q(Name(JobRunState.Failed))}, ended_at = {T(now)}, error = {Q(error)}", cancellation);

    /// <summary>Marks a running or retrying run cancelled; false when it was neither.</summary>
    public async Task<bool> CancelAsync(string runId, DateTimeOffset now, CancellationToken cancellation)
    {
        var affected = await _execute(
            $"""
                UPDATE {Table} SET state = {Q(Name(JobRunState.Cancelled))}, ended_at = {T(now)}, error = 'cancelled by an operator'
                WHERE run_id = {Q(runId)} AND state IN ({Q(Name(JobRunState.Running))}, {Q(Name(JobRunState.Retrying))})
                """,
            cancellation);
        return affected == 1;
    }

    /// <summary>The latest due time recorded per job: where catching up starts.</summary>
    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LatestDueAsync(CancellationToken cancellation)
    {
        var result = await _query.QueryAsync($"SELECT job, MAX(due) FROM {Table} GROUP BY job", cancellation);
        return result.Rows.ToDictionary(r => (string)r[0]!, r => JobPeriod.Parse((string)r[1]!), StringComparer.Ordinal);
    }

    /// <summary>Runs due again: retries whose back-off is over, and claims whose lease ran out.</summary>
    public async Task<IReadOnlyList<JobRunRecord>> ClaimableAsync(DateTimeOffset now, CancellationToken cancellation) =>
        await SelectAsync(
            $"(state = {Q(Name(JobRunState.Retrying))} AND next_attempt_at <= {T(now)}) OR (state = {Q(Name(JobRunState.Running))} AND lease_until < {T(now)}) ORDER BY due",
            cancellation);

    public async Task<JobRunRecord?> GetAsync(string runId, CancellationToken cancellation) =>
        (await SelectAsync($"run_id = {Q(runId)}", cancellation)).SingleOrDefault();

    /// <summary>A job's latest runs, newest first.</summary>
    public Task<IReadOnlyList<JobRunRecord>> HistoryAsync(string job, int limit, CancellationToken cancellation) =>
        SelectAsync($"job = {Q(job)} ORDER BY due DESC LIMIT {limit}", cancellation);

    private async Task<bool> FinishAsync(string runId, string owner, string assignments, CancellationToken cancellation)
    {
        var affected = await _execute(
            $"UPDATE {Table} SET {assignments}, owner = NULL WHERE run_id = {Q(runId)} AND owner = {Q(owner)} AND state = {Q(Name(JobRunState.Running))}",
            cancellation);
        return affected == 1;
    }

    private async Task<IReadOnlyList<JobRunRecord>> SelectAsync(string where, CancellationToken cancellation)
    {
        var result = await _query.QueryAsync(
            $"SELECT run_id, job, period, due, engine, state, attempt, started_at, ended_at, rows_written, error FROM {Table} WHERE {where}", cancellation);
        return [.. result.Rows.Select(r => new JobRunRecord(
            (string)r[0]!, (string)r[1]!, (string)r[2]!, JobPeriod.Parse((string)r[3]!), (string)r[4]!,
            Enum.Parse<JobRunState>((string)r[5]!, ignoreCase: true), Convert.ToInt32(r[6], System.Globalization.CultureInfo.InvariantCulture),
            r[7] is string started ? JobPeriod.Parse(started) : null, r[8] is string ended ? JobPeriod.Parse(ended) : null,
            r[9] is null ? null : Convert.ToInt64(r[9], System.Globalization.CultureInfo.InvariantCulture), r[10] as string))];
    }

    private static string Name(JobRunState state) => state.ToString().ToLowerInvariant();

    /// <summary>A text literal; BigQuery escapes with backslashes (an error message may hold quotes and line breaks).</summary>
    private string Q(string text) => _bigQuery ? JobSqlText.BigQueryText(text) : JobSqlText.Text(text);

    private string T(DateTimeOffset time) => Q(JobPeriod.Format(time));
}
