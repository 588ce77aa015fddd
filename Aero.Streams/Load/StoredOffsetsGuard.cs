using Aero.Kafka.Settings;
using Aero.Warehouse;
using Confluent.Kafka;

namespace Aero.Streams.Load;

/// <summary>
/// Checks the warehouse's offsets against Kafka before the load seeks to them. Offsets are keyed by topic name, so a
/// topic deleted and re-created finds its predecessor's: beyond its log end, they would skip the new topic's records
/// (or, with offset-out-of-range = latest, jump silently). Such an assignment fails the graph with
/// <see cref="StoredOffsetsBeyondLogException"/>, counted as aero_warehouse_offsets_beyond_log.
/// </summary>
public static class StoredOffsetsGuard
{
    /// <summary>Asks Kafka for the log end of each assigned partition that has a stored offset, then <see cref="Verify"/>.</summary>
    public static void Check(ConsumerSettings settings, string topic, IReadOnlyCollection<TopicPartition> assigned, IReadOnlyDictionary<int, long> stored, TimeSpan timeout)
    {
        var partitions = assigned.Where(p => stored.ContainsKey(p.Partition.Value)).ToList();
        if (partitions.Count == 0)
        {
            return;
        }

        // A client of its own: the consumer being assigned is inside its rebalance callback.
        using var probe = new ConsumerBuilder<Ignore, Ignore>(settings.ToClientConfig()).Build();
        var logEnds = partitions.ToDictionary(p => p.Partition.Value, p => probe.QueryWatermarkOffsets(p, timeout).High.Value);
        Verify(topic, stored, logEnds);
    }

    /// <summary>Throws when a stored offset is beyond its partition's log end (one at the end is where the next record goes).</summary>
    public static void Verify(string topic, IReadOnlyDictionary<int, long> stored, IReadOnlyDictionary<int, long> logEnds)
    {
        var beyond = logEnds
            .Where(end => stored.TryGetValue(end.Key, out var next) && next > end.Value)
            .OrderBy(end => end.Key)
            .Select(end => (end.Key, stored[end.Key], end.Value))
            .ToList();
        if (beyond.Count > 0)
        {
            WarehouseMetrics.OffsetsBeyondLog.Add(beyond.Count);
            throw new StoredOffsetsBeyondLogException(topic, beyond);
        }
    }
}
