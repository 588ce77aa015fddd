using System.Text;
using Aero.Warehouse;
using Confluent.Kafka;
using Npgsql;

namespace Aero.Bench.Chaos;

/// <summary>
/// The campaign's verdict, read from the log and the warehouse alone: every offset of the raw topic is in
/// flights_raw or the dlq table exactly once, good records as rows with their own event id, bad ones as dead letters
/// with a reason, and no event id twice. A good record the log holds twice (a producer's retry the embedded Kafka did
/// not deduplicate) is stored once, at one of its offsets: the load counts the other as already stored.
/// </summary>
internal sealed class ChaosAudit(string bootstrapServers, string topic, int partitions, string connectionString, string schema, int seed)
{
    /// <summary>The log end of every partition.</summary>
    public long[] LogEnds()
    {
        using var consumer = Consumer();
        return [.. Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(30)).High.Value)];
    }

    /// <summary>The warehouse's stored next offset of every partition (0 where none is stored).</summary>
    public async Task<long[]> StoredOffsetsAsync()
    {
        var stored = new long[partitions];
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT kafka_partition, max(next_offset) FROM {schema}.{WarehouseTables.Offsets} WHERE topic = $1 GROUP BY 1", connection)
        {
            Parameters = { new() { Value = topic } },
        };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stored[reader.GetInt32(0)] = reader.GetInt64(1);
        }

        return stored;
    }

    public async Task<ChaosVerdict> RunAsync(long[] logEnds)
    {
        var verdict = new ChaosVerdict();
        var log = ReadLog(logEnds, verdict);
        var seen = new HashSet<(int, long)>();
        await using var connection = await OpenAsync();

        await using (var rows = new NpgsqlCommand($"SELECT kafka_partition, kafka_offset, event_id FROM {schema}.{WarehouseTables.FlightsRaw} WHERE kafka_topic = $1", connection) { Parameters = { new() { Value = topic } } })
        await using (var reader = await rows.ExecuteReaderAsync())
        {
            var eventIds = new HashSet<string>(StringComparer.Ordinal);
            while (await reader.ReadAsync())
            {
                var at = (reader.GetInt32(0), reader.GetInt64(1));
                var eventId = reader.GetString(2);
                verdict.Rows++;
                if (!seen.Add(at))
                {
                    verdict.Fail($"offset {at} stored twice");
                }

                if (!eventIds.Add(eventId))
                {
                    verdict.Fail($"event id {eventId} stored twice");
                }

                if (!log.TryGetValue(at, out var key))
                {
                    verdict.Fail($"row at {at} is not in the log");
                }
                else if (!ChaosFeed.IsGood(key))
                {
                    verdict.Fail($"bad record {key} at {at} was stored as a row");
                }
                else if (eventId != ChaosFeed.EventId(seed, long.Parse(key["good-".Length..], System.Globalization.CultureInfo.InvariantCulture)))
                {
                    verdict.Fail($"row at {at} holds event id {eventId}, not the one produced there ({key})");
                }
            }
        }

        await using (var letters = new NpgsqlCommand($"SELECT kafka_partition, kafka_offset, reason FROM {schema}.{WarehouseTables.DeadLetters} WHERE kafka_topic = $1", connection) { Parameters = { new() { Value = topic } } })
        await using (var reader = await letters.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var at = (reader.GetInt32(0), reader.GetInt64(1));
                var reason = reader.GetString(2);
                verdict.DeadLetters++;
                if (!seen.Add(at))
                {
                    verdict.Fail($"offset {at} dead-lettered twice, or both stored and dead-lettered");
                }

                if (string.IsNullOrWhiteSpace(reason))
                {
                    verdict.Fail($"the dead letter at {at} has no reason");
                }

                if (log.TryGetValue(at, out var key) && ChaosFeed.IsGood(key))
                {
                    verdict.Fail($"good record {key} at {at} was dead-lettered: {reason}");
                }
            }
        }

        var storedKeys = log.Where(entry => seen.Contains(entry.Key)).Select(entry => entry.Value).ToHashSet(StringComparer.Ordinal);
        foreach (var (at, key) in log)
        {
            if (seen.Contains(at))
            {
                continue;
            }

            if (ChaosFeed.IsGood(key) && storedKeys.Contains(key))
            {
                verdict.GoodTwiceInLog++;
            }
            else
            {
                verdict.Fail($"{key} at {at} is neither stored nor dead-lettered");
            }
        }

        return verdict;
    }

    /// <summary>Every record of the raw topic up to <paramref name="logEnds"/>, by position: its key.</summary>
    private Dictionary<(int, long), string> ReadLog(long[] logEnds, ChaosVerdict verdict)
    {
        var log = new Dictionary<(int, long), string>();
        using var consumer = Consumer();
        var assignment = new List<TopicPartitionOffset>();
        for (var p = 0; p < partitions; p++)
        {
            var low = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(30)).Low.Value;
            if (low > 0)
            {
                verdict.Fail($"partition {p} was trimmed to offset {low} by the embedded Kafka's retention: lower --rate or raise --partitions");
            }

            if (logEnds[p] > low)
            {
                assignment.Add(new TopicPartitionOffset(topic, p, low));
            }
        }

        consumer.Assign(assignment);
        var remaining = assignment.Count;
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (remaining > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The log could not be read to its end within 2 minutes.");
            }

            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is null || record.IsPartitionEOF)
            {
                continue;
            }

            var key = Encoding.UTF8.GetString(record.Message.Key);
            log[(record.Partition.Value, record.Offset.Value)] = key;
            if (ChaosFeed.IsGood(key))
            {
                verdict.Good++;
            }
            else
            {
                verdict.Bad++;
            }

            if (record.Offset.Value + 1 == logEnds[record.Partition.Value])
            {
                remaining--;
            }
        }

        return log;
    }

    private IConsumer<byte[], byte[]> Consumer() => new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
    {
        BootstrapServers = bootstrapServers,
        GroupId = "aero-chaos-audit",
        EnableAutoCommit = false,
    }).Build();

    private async Task<NpgsqlConnection> OpenAsync()
    {
        // Unpooled: a pooled connection may be one the campaign's last warehouse restart already closed.
        var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }
}
