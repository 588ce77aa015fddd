using Aero.Warehouse.Views;

namespace Aero.Warehouse;

/// <summary>The query side <c>aero query</c>, summaries and checks use.</summary>
public interface IWarehouseQuery
{
    /// <summary>Rows in a table (for BigQuery, in its deduplicated view), for summaries and checks.</summary>
    Task<long> CountAsync(string table, CancellationToken cancellationToken = default);

    /// <summary>The views it creates on start, which Looker and <c>aero report</c> are offered.</summary>
    IReadOnlyList<WarehouseView> Views { get; }

    /// <summary>Whether a table or view named <paramref name="name"/> is in the warehouse's own schema or dataset.</summary>
    Task<bool> HasTableAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Runs SQL in the warehouse's own dialect and returns its result set (empty for statements without one).</summary>
    Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default);
}
