using Aero.Kafka.Messages;

namespace Aero.Warehouse;

/// <summary>
/// Keeps what another writer already stored out of a batch. The offset stored for a partition is the truth: every
/// record below it is stored (or dead-lettered) already, every record at or above it is not. Two writers overlap
/// around a rebalance: the old owner's last write may land after the new owner read where to start, or after the new
/// owner wrote on. Either way a batch keeps exactly its records at or above the stored offset, and its next offset
/// only when that moves the stored one forward, so neither writer stores a record twice nor leaves one out. Backends
/// apply it to the offsets they read in the same transaction as the write (or, on BigQuery, just before it).
/// </summary>
public static class OffsetFence
{
    /// <summary>The partitions whose records the batch holds, each with the offset of its first record.</summary>
    public static Dictionary<(string Topic, int Partition), long> FirstOffsets(LoadBatch batch)
    {
        var first = new Dictionary<(string Topic, int Partition), long>();
        foreach (var position in batch.Rows.Select(r => r.Position).Concat(batch.DeadLetters.Select(d => d.Position)))
        {
            var key = (position.Topic, position.Partition);
            first[key] = first.TryGetValue(key, out var known) ? Math.Min(known, position.Offset) : position.Offset;
        }

        return first;
    }

    /// <summary>The batch without its records below their partition's stored offset, and how many that left out.</summary>
    public static (LoadBatch Kept, int Fenced) Apply(LoadBatch batch, Func<(string Topic, int Partition), long?> stored)
    {
        var first = FirstOffsets(batch);
        var behind = new Dictionary<(string Topic, int Partition), long>();
        foreach (var (partition, offset) in first)
        {
            if (stored(partition) is { } next && next > offset)
            {
                behind[partition] = next;
            }
        }

        if (behind.Count == 0)
        {
            return (batch, 0);
        }

        bool Keep(KafkaPosition position) => !behind.TryGetValue((position.Topic, position.Partition), out var next) || position.Offset >= next;
        var rows = batch.Rows.Where(r => Keep(r.Position)).ToList();
        var letters = batch.DeadLetters.Where(d => Keep(d.Position)).ToList();
        var nextOffsets = batch.NextOffsets
            .Where(n => !behind.TryGetValue(n.Key, out var storedNext) || n.Value > storedNext)
            .ToDictionary(n => n.Key, n => n.Value);
        var fenced = batch.Rows.Count - rows.Count + batch.DeadLetters.Count - letters.Count;
        WarehouseMetrics.RecordsFenced.Add(fenced);
        return (batch with { Rows = rows, DeadLetters = letters, NextOffsets = nextOffsets }, fenced);
    }
}
