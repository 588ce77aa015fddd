namespace Aero.Streams.Warehouse;

/// <summary>
/// A warehouse that stores flight rows exactly once: rows are unique on the event id, and each batch's rows and
/// the next offsets of its partitions are written in one transaction, keyed by Kafka cluster id, topic and partition.
/// </summary>
public interface IWarehouse : IDisposable
{
    /// <summary>The next offset to read per partition, as stored with the rows; partitions never written are absent.</summary>
    IReadOnlyDictionary<int, long> StoredOffsets(string clusterId, string topic);

    /// <summary>Writes the batch and the offsets in one transaction. Rows whose event id is already stored are skipped.</summary>
    WriteResult Write(LoadBatch batch);

    /// <summary>Rows in a table, for summaries and checks.</summary>
    long Count(string table);
}
