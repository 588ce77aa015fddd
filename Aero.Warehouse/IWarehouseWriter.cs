using Aero.Kafka.Messages;

namespace Aero.Warehouse;

/// <summary>
/// The write side the load uses: rows are unique on the event id (<see cref="DuplicateRule"/>), and each batch's rows,
/// dead letters and the next offsets of its partitions become visible together, keyed by Kafka cluster id, topic and
/// partition; the stored offsets are where the load resumes.
/// </summary>
public interface IWarehouseWriter
{
    /// <summary>What the warehouse is, for logs, errors and summaries (for example "DuckDB .aero/aero.duckdb").</summary>
    string Description { get; }

    /// <summary>
    /// Per partition, the last record stored (or dead-lettered): its offset is one below where the load resumes, its
    /// Kafka timestamp (where the warehouse keeps it) tells the topic it came from apart from one re-created under its
    /// name. Partitions never written are absent.
    /// </summary>
    Task<IReadOnlyDictionary<int, KafkaPosition>> StoredPositionsAsync(string clusterId, string topic, CancellationToken cancellationToken = default);

    /// <summary>Writes the batch and the offsets atomically. Rows whose event id is already stored are skipped.</summary>
    Task<WriteResult> WriteAsync(LoadBatch batch, CancellationToken cancellationToken = default);
}
