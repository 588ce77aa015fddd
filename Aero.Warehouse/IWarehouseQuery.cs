namespace Aero.Warehouse;

/// <summary>The query side <c>aero query</c>, summaries and checks use.</summary>
public interface IWarehouseQuery
{
    /// <summary>Rows in a table (for BigQuery, in its deduplicated view), for summaries and checks.</summary>
    Task<long> CountAsync(string table, CancellationToken cancellationToken = default);

    /// <summary>Runs SQL in the warehouse's own dialect and returns its result set (empty for statements without one).</summary>
    Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default);
}
