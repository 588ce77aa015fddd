using Confluent.Kafka;

namespace Aero.Kafka.Messages;

/// <summary>
/// Where a record sat in Kafka: the one shape of an offset from the Kafka source to the warehouse row.
/// <see cref="Timestamp"/> is null for a record that carries none (message format v0).
/// </summary>
public readonly record struct KafkaPosition(string Topic, int Partition, long Offset, DateTime? Timestamp)
{
    /// <summary>The position of a consumed record.</summary>
    public static KafkaPosition Of(ConsumeResult<byte[], byte[]> record)
    {
        ArgumentNullException.ThrowIfNull(record);
        // Without a timestamp, Confluent.Kafka reports the Unix epoch: stored, it would read as a record of 1970.
        var timestamp = record.Message.Timestamp;
        return new KafkaPosition(
            record.Topic,
            record.Partition.Value,
            record.Offset.Value,
            timestamp.Type == TimestampType.NotAvailable ? null : timestamp.UtcDateTime);
    }

    /// <summary>The offset a consumer reads next once this record was handled.</summary>
    public long NextOffset => Offset + 1;
}
