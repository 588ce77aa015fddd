using System.Diagnostics;
using System.Globalization;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Aero.Warehouse;
using Confluent.Kafka;

namespace Aero.Streams.Load;

/// <summary>
/// Checks the warehouse's offsets against Kafka before the load seeks to them. Offsets are keyed by topic name, so a
/// topic deleted and re-created finds its predecessor's: beyond its log end, or (once the new topic has grown past
/// them) in front of a record other than the one stored there, they would skip the new topic's records. Such an
/// assignment fails the graph with <see cref="TopicRecreatedException"/>, counted as aero_warehouse_topic_recreated.
/// </summary>
public static class StoredOffsetsGuard
{
    /// <summary>
    /// Asks Kafka for the log end of each assigned partition that has a stored offset (<see cref="VerifyLogEnds"/>),
    /// then for the record before each stored offset whose timestamp the warehouse keeps (<see cref="VerifyRecords"/>).
    /// </summary>
    public static void Check(ConsumerSettings settings, string topic, IReadOnlyCollection<TopicPartition> assigned, IReadOnlyDictionary<int, KafkaPosition> stored, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var partitions = assigned.Where(p => stored.ContainsKey(p.Partition.Value)).ToList();
        if (partitions.Count == 0)
        {
            return;
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        // A client of its own: the consumer being assigned is inside its rebalance callback.
        using var probe = new ConsumerBuilder<Ignore, Ignore>(settings.ToClientConfig()).Build();
        var logEnds = partitions.ToDictionary(p => p.Partition.Value, p => probe.QueryWatermarkOffsets(p, timeout).High.Value);
        VerifyLogEnds(topic, stored.ToDictionary(s => s.Key, s => s.Value.NextOffset), logEnds);

        var known = partitions.Where(p => stored[p.Partition.Value] is { Timestamp: not null, Offset: >= 0 }).ToList();
        if (known.Count > 0)
        {
            VerifyRecords(topic, stored, RecordsAt(probe, known.Select(p => new TopicPartitionOffset(p, stored[p.Partition.Value].Offset)).ToList(), deadline));
        }
    }

    /// <summary>Throws when a stored offset is beyond its partition's log end (one at the end is where the next record goes).</summary>
    public static void VerifyLogEnds(string topic, IReadOnlyDictionary<int, long> stored, IReadOnlyDictionary<int, long> logEnds)
    {
        Fail(topic, logEnds
            .Where(end => stored.TryGetValue(end.Key, out var next) && next > end.Value)
            .Select(end => (end.Key, stored[end.Key], $"log end {end.Value}")));
    }

    /// <summary>
    /// Throws when Kafka's record at a stored position has another timestamp than the one stored with it. A position
    /// whose record Kafka no longer has (the first record found lies beyond it: compacted or removed) cannot be told
    /// apart and passes, as does one the warehouse keeps no timestamp for.
    /// </summary>
    public static void VerifyRecords(string topic, IReadOnlyDictionary<int, KafkaPosition> stored, IReadOnlyDictionary<int, KafkaPosition> found)
    {
        Fail(topic, found
            .Where(record => stored.TryGetValue(record.Key, out var position)
                && position.Timestamp is { } storedAt && record.Value.Offset == position.Offset
                && record.Value.Timestamp?.Ticks != storedAt.Ticks)
            .Select(record => (record.Key, stored[record.Key].NextOffset,
                $"the record at {record.Value.Offset} has timestamp {Describe(record.Value.Timestamp)} where the warehouse stored one of {Describe(stored[record.Key].Timestamp)}")));
    }

    private static void Fail(string topic, IEnumerable<(int Partition, long Stored, string Found)> misfits)
    {
        var partitions = misfits.OrderBy(m => m.Partition).ToList();
        if (partitions.Count > 0)
        {
            WarehouseMetrics.TopicRecreated.Add(partitions.Count);
            throw new TopicRecreatedException(topic, partitions);
        }
    }

    /// <summary>The first record at or after each offset, as far as Kafka returns one before the deadline.</summary>
    private static Dictionary<int, KafkaPosition> RecordsAt(IConsumer<Ignore, Ignore> probe, List<TopicPartitionOffset> offsets, long deadline)
    {
        probe.Assign(offsets);
        var found = new Dictionary<int, KafkaPosition>();
        while (found.Count < offsets.Count && Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                if (probe.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } record)
                {
                    found.TryAdd(record.Partition.Value, new KafkaPosition(record.Topic, record.Partition.Value, record.Offset.Value,
                        record.Message.Timestamp.Type == TimestampType.NotAvailable ? null : record.Message.Timestamp.UtcDateTime));
                    probe.Pause([record.TopicPartition]);
                }
            }
            catch (ConsumeException error) when (error.ConsumerRecord?.TopicPartition is { } partition)
            {
                // Its offset is gone (retention passed it): nothing left to compare; the load's own start says what follows.
                found.TryAdd(partition.Partition.Value, new KafkaPosition(partition.Topic, partition.Partition.Value, long.MaxValue, null));
                probe.Pause([partition]);
            }
        }

        return found;
    }

    private static string Describe(DateTime? timestamp) =>
        timestamp is { } value ? value.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) : "none";
}
