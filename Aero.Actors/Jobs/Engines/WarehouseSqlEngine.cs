using Aero.Warehouse;
using Aero.Warehouse.Views;

namespace Aero.Actors.Jobs.Engines;

/// <summary>
/// DuckDB or PostgreSQL: the job's SQL runs on the warehouse, and in one transaction its output table is created when
/// missing (a <c>period</c> column, then the query's columns), the period's rows deleted and the query's rows inserted.
/// </summary>
public sealed class WarehouseSqlEngine(string name, string dialect, IWarehouseTransactions warehouse) : IJobEngine, IJobOutputs
{
    public string Name { get; } = name;

    public string Dialect { get; } = dialect;

    public async Task<long> RunAsync(JobRunRequest request, CancellationToken cancellation)
    {
        var period = JobSqlText.Text(request.PeriodKey);
        var affected = await warehouse.ExecuteInTransactionAsync(
            [
                CreateOutput(request.Output, request.Sql),
                new($"DELETE FROM {request.Output} WHERE period = {period}"),
                new($"INSERT INTO {request.Output} SELECT {period} AS period, q.* FROM ({request.Sql}) q"),
                // Last, so the claim's row is locked only for the commit: a cancel need not wait for the query.
                request.Claim,
            ],
            cancellation);
        return affected[2];
    }

    public async Task<string> EnsureOutputAsync(JobDefinition job, DateTimeOffset now, CancellationToken cancellation)
    {
        var sql = JobSqlText.Bind(JobSqlText.For(job.Sql, Dialect)!, job.PeriodAt(now), Dialect);
        await warehouse.ExecuteInTransactionAsync([CreateOutput(job.Output, sql), .. JobOutputViews.Create(job.Name, job.Output).Select(s => new TransactionStatement(s))], cancellation);
        return JobOutputViews.Name(job.Output);
    }

    private static TransactionStatement CreateOutput(string output, string sql) =>
        new($"CREATE TABLE IF NOT EXISTS {output} AS SELECT CAST('' AS VARCHAR) AS period, q.* FROM ({sql}) q WHERE 1 = 0");
}
