namespace Aero.Streams.Warehouse;

/// <summary>
/// A warehouse that stores flight rows exactly once: rows are unique on the event id, and each batch's rows and
/// the next offsets of its partitions become visible together, keyed by Kafka cluster id, topic and partition.
/// Every backend (DuckDB, PostgreSQL, BigQuery) passes the same conformance suite.
/// </summary>
public interface IWarehouse : IAsyncDisposable
{
    /// <summary>What the warehouse is, for logs and summaries (for example "DuckDB .aero/aero.duckdb").</summary>
    string Description { get; }

    /// <summary>The next offset to read per partition, as stored with the rows; partitions never written are absent.</summary>
    Task<IReadOnlyDictionary<int, long>> StoredOffsetsAsync(string clusterId, string topic, CancellationToken cancellationToken = default);

    /// <summary>Writes the batch and the offsets atomically. Rows whose event id is already stored are skipped.</summary>
    Task<WriteResult> WriteAsync(LoadBatch batch, CancellationToken cancellationToken = default);

    /// <summary>Rows in a table (for BigQuery, in its deduplicated view), for summaries and checks.</summary>
    Task<long> CountAsync(string table, CancellationToken cancellationToken = default);

    /// <summary>Runs SQL in the warehouse's own dialect and returns its result set (empty for statements without one).</summary>
    Task<QueryResult> QueryAsync(string sql, CancellationToken cancellationToken = default);
}
