using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Aero.Warehouse.BigQuery;
using Aero.Warehouse.Views;

namespace Aero.Actors.Jobs.Engines;

/// <summary>
/// BigQuery: a run is one script sent with <c>jobs.query</c> and polled with <c>getQueryResults</c>. It creates the
/// output table when missing (a <c>period</c> column, then the query's columns; DDL may not run inside a transaction),
/// then in one multi-statement transaction deletes the period's rows and inserts the query's, so the period is
/// replaced as a whole: a failing statement rolls the transaction back and the run fails with BigQuery's message. Last
/// it counts the period's rows. The request id is derived from the run id and attempt, so a re-sent call (the client's
/// retry after a lost answer) finds the job the first one started and never runs it twice, while the scheduler's next
/// attempt is a new job. Cancellation (an operator, the timeout) cancels the job. The output's view for Looker is
/// created when the scheduler starts (<see cref="EnsureOutputAsync"/>).
/// </summary>
public sealed class BigQueryJobEngine(string name, BigQueryWarehouse warehouse) : IJobEngine, IJobOutputs
{
    public string Name { get; } = name;

    public string Dialect => "bigquery";

    /// <summary>jobs.query's requestId for an attempt of a run: at most 36 ASCII characters, the same on every coordinator.</summary>
    public static string RequestId(string runId, int attempt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{runId}#{attempt}")));
        return "aero-" + Convert.ToHexStringLower(hash)[..31];
    }

    public async Task<long> RunAsync(JobRunRequest request, CancellationToken cancellation)
    {
        var period = JobSqlText.BigQueryText(request.PeriodKey);
        var script = $"""
            {CreateOutput(request.Output, request.Sql)};
            BEGIN TRANSACTION;
            DELETE FROM {request.Output} WHERE period = {period};
            INSERT INTO {request.Output} SELECT {period} AS period, q.* FROM ({request.Sql}) q;
            COMMIT TRANSACTION;
            SELECT COUNT(*) AS written FROM {request.Output} WHERE period = {period}
            """;
        var result = await warehouse.RunScriptAsync(script, RequestId(request.RunId, request.Attempt), cancellation);
        return Convert.ToInt64(result.Rows[0][0], CultureInfo.InvariantCulture);
    }

    /// <summary>The output table by a query job (its columns are the SQL's), then its view as a table of the dataset.</summary>
    public async Task<string> EnsureOutputAsync(JobDefinition job, DateTimeOffset now, CancellationToken cancellation)
    {
        var sql = JobSqlText.Bind(JobSqlText.For(job.Sql, Dialect)!, job.PeriodAt(now), Dialect);
        await warehouse.RunScriptAsync(CreateOutput(job.Output, sql), RequestId($"{job.Output}@{JobPeriod.Format(now)}", 0), cancellation);
        var view = JobOutputViews.View(job.Name, job.Output, []);
        await warehouse.EnsureViewAsync(view, cancellation);
        return view.Name;
    }

    private static string CreateOutput(string output, string sql) =>
        $"CREATE TABLE IF NOT EXISTS {output} AS SELECT CAST('' AS STRING) AS period, q.* FROM ({sql}) q WHERE FALSE";
}
