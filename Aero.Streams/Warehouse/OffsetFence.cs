namespace Aero.Streams.Warehouse;

/// <summary>
/// Keeps a stale writer out. A batch starts, per partition, at its lowest record's offset; when the offset stored for
/// that partition has already passed it, another writer (the partition's new owner after a rebalance) has written on
/// from there, and this batch's records of the partition, with its next offset, are left out. Backends apply it to the
/// offsets they read in the same transaction as the write (or, on BigQuery, just before it).
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

    /// <summary>The batch without the partitions whose stored offset is past their first record, and how many records that left out.</summary>
    public static (LoadBatch Kept, int Fenced) Apply(LoadBatch batch, Func<(string Topic, int Partition), long?> stored)
    {
        var stale = FirstOffsets(batch).Where(first => stored(first.Key) is { } next && next > first.Value).Select(first => first.Key).ToHashSet();
        if (stale.Count == 0)
        {
            return (batch, 0);
        }

        var rows = batch.Rows.Where(r => !stale.Contains((r.Position.Topic, r.Position.Partition))).ToList();
        var letters = batch.DeadLetters.Where(d => !stale.Contains((d.Position.Topic, d.Position.Partition))).ToList();
        var next = batch.NextOffsets.Where(n => !stale.Contains(n.Key)).ToDictionary(n => n.Key, n => n.Value);
        var fenced = batch.Rows.Count - rows.Count + batch.DeadLetters.Count - letters.Count;
        WarehouseMetrics.RecordsFenced.Add(fenced);
        return (batch with { Rows = rows, DeadLetters = letters, NextOffsets = next }, fenced);
    }
}
