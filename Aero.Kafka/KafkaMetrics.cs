using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;

namespace Aero.Kafka;

/// <summary>
/// Kafka stage metrics through System.Diagnostics.Metrics (meter "Aero.Kafka"), exported by the node to Prometheus.
/// Lag per partition comes from librdkafka's statistics.
/// </summary>
public static class KafkaMetrics
{
    public const string MeterName = "Aero.Kafka";

    private static readonly Meter Meter = new(MeterName);
    private static readonly ConcurrentDictionary<(string Group, string Topic, int Partition), long> Lag = new();
    private static int _pausedPartitions;

    internal static readonly Counter<long> RecordsConsumed = Meter.CreateCounter<long>("aero_kafka_records_consumed", description: "Records polled from Kafka");
    internal static readonly Counter<long> RecordsDropped = Meter.CreateCounter<long>("aero_kafka_records_dropped_revoked", description: "Records of revoked partitions dropped before emission");
    internal static readonly Counter<long> Commits = Meter.CreateCounter<long>("aero_kafka_commits", description: "Successful offset commits (one per batch)");
    internal static readonly Counter<long> CommitsAbandoned = Meter.CreateCounter<long>("aero_kafka_commits_abandoned", description: "Committed batches whose Kafka commit was given up (revoked, or commit-failure = warn)");
    internal static readonly Counter<long> CommitFailures = Meter.CreateCounter<long>("aero_kafka_commit_failures", description: "Failed commit attempts, retriable or not");
    internal static readonly Counter<long> OffsetsOutOfRange = Meter.CreateCounter<long>("aero_kafka_offsets_out_of_range", description: "Stored offsets that retention overtook");
    internal static readonly Counter<long> Rebalances = Meter.CreateCounter<long>("aero_kafka_partitions_rebalanced", description: "Partitions assigned or revoked");
    internal static readonly Counter<long> RecordsProduced = Meter.CreateCounter<long>("aero_kafka_records_produced", description: "Records acknowledged by Kafka");

    static KafkaMetrics()
    {
        Meter.CreateObservableGauge("aero_kafka_paused_partitions", () => Volatile.Read(ref _pausedPartitions), description: "Partitions paused by backpressure");
        Meter.CreateObservableGauge("aero_kafka_consumer_lag", ObserveLag, description: "Consumer lag per partition (librdkafka statistics)");
    }

    /// <summary>The lag librdkafka last reported for a partition of a group, if any.</summary>
    public static long? ConsumerLag(string group, string topic, int partition) =>
        Lag.TryGetValue((group, topic, partition), out var lag) ? lag : null;

    /// <summary>Every partition's last reported lag, ordered by group, topic and partition (for <c>aero kafka lag</c>).</summary>
    public static IReadOnlyList<PartitionLag> ConsumerLags() =>
    [
        .. Lag.Select(e => new PartitionLag(e.Key.Group, e.Key.Topic, e.Key.Partition, e.Value))
            .OrderBy(l => l.Group, StringComparer.Ordinal).ThenBy(l => l.Topic, StringComparer.Ordinal).ThenBy(l => l.Partition),
    ];

    internal static void AddPausedPartitions(int delta) => Interlocked.Add(ref _pausedPartitions, delta);

    /// <summary>Reads each partition's lag out of a librdkafka statistics document.</summary>
    internal static void RecordStatistics(string group, string json)
    {
        using var document = JsonDocument.Parse(json);
        if (!document.RootElement.TryGetProperty("topics", out var topics))
        {
            return;
        }

        foreach (var topic in topics.EnumerateObject())
        {
            if (!topic.Value.TryGetProperty("partitions", out var partitions))
            {
                continue;
            }

            foreach (var partition in partitions.EnumerateObject())
            {
                // -1 is librdkafka's internal "unassigned" partition; lag -1 means unknown yet.
                if (!int.TryParse(partition.Name, out var id) || id < 0)
                {
                    continue;
                }

                if (PartitionLag(partition.Value) is { } lag)
                {
                    Lag[(group, topic.Name, id)] = lag;
                }
            }
        }
    }

    /// <summary>
    /// librdkafka's consumer_lag counts from the committed offset, which stays unknown (-1) until this group commits
    /// there, and the load only commits after writing a batch: a partition resumed at the warehouse's offset with
    /// nothing new would never show a lag. Then the lag counts from the consumer's position instead (the offset after
    /// the last record handed to the application, else the next offset to fetch). Null when none is known: not
    /// fetching (unassigned), or no high watermark yet.
    /// </summary>
    private static long? PartitionLag(JsonElement partition)
    {
        var high = Offset(partition, "hi_offset");
        if (Offset(partition, "consumer_lag") is { } committedLag)
        {
            return committedLag;
        }

        return high is { } hi && (Offset(partition, "app_offset") ?? Offset(partition, "next_offset")) is { } position
            ? Math.Max(0, hi - position)
            : null;
    }

    // librdkafka writes -1 (unknown) or -1001 (invalid) where it has no value.
    private static long? Offset(JsonElement partition, string name) =>
        partition.TryGetProperty(name, out var value) && value.TryGetInt64(out var offset) && offset >= 0 ? offset : null;

    internal static void ForgetLag(string group, string topic, int partition) => Lag.TryRemove((group, topic, partition), out _);

    private static IEnumerable<Measurement<long>> ObserveLag() =>
        Lag.Select(entry => new Measurement<long>(
            entry.Value,
            new KeyValuePair<string, object?>("group", entry.Key.Group),
            new KeyValuePair<string, object?>("topic", entry.Key.Topic),
            new KeyValuePair<string, object?>("partition", entry.Key.Partition)));
}
