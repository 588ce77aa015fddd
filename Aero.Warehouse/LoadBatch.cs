using Aero.Kafka.Messages;
using Aero.Warehouse.Windows;

namespace Aero.Warehouse;

/// <summary>One transaction's worth: rows, dead letters, and the next offset per partition they advance to.</summary>
public sealed record LoadBatch(
    string ClusterId,
    IReadOnlyList<LoadRow> Rows,
    IReadOnlyList<DeadLetter> DeadLetters,
    IReadOnlyDictionary<(string Topic, int Partition), long> NextOffsets)
{
    /// <summary>How the rows fall into event-time windows: the warehouse writes the partials of the rows it stores, and the partitions' event times, in the same transaction. None: no windows.</summary>
    public IBatchWindows? Windows { get; init; }

    /// <summary>
    /// Per next offset, the position of the record just before it (the last one the batch handled of its partition),
    /// stored with the offset so that a later load can tell the topic it stored from one re-created under its name.
    /// The timestamp is null when the batch holds no record there (an offset written alone).
    /// </summary>
    public IEnumerable<KafkaPosition> LastPositions()
    {
        var last = new Dictionary<(string, int), KafkaPosition>();
        foreach (var position in Rows.Select(r => r.Position).Concat(DeadLetters.Select(d => d.Position)))
        {
            var key = (position.Topic, position.Partition);
            if (NextOffsets.TryGetValue(key, out var next) && position.NextOffset == next)
            {
                last[key] = position;
            }
        }

        return NextOffsets.Select(n => last.TryGetValue(n.Key, out var position) ? position : new KafkaPosition(n.Key.Topic, n.Key.Partition, n.Value - 1, null));
    }
}
