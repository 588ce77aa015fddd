using Aero.Kafka.Internal;
using Confluent.Kafka;

namespace Aero.Kafka.Messages;

/// <summary>The position of one consumed record, to be committed once the record was handled.</summary>
public sealed class CommittableOffset : ICommittable
{
    internal CommittableOffset(PartitionBuffer partition, KafkaPosition position)
    {
        Partition = partition;
        Position = position;
    }

    public TopicPartition TopicPartition => Partition.TopicPartition;

    /// <summary>Where the record sat in Kafka; the commit stores its <see cref="KafkaPosition.NextOffset"/>.</summary>
    public KafkaPosition Position { get; }

    /// <summary>The record's offset; the commit stores <c>Offset + 1</c>, the next record to read.</summary>
    public long Offset => Position.Offset;

    /// <summary>
    /// Whether the record's partition was revoked from (or lost by) this consumer since: set on the consumer's thread in
    /// the rebalance callback, before another member can be given the partition.
    /// </summary>
    public bool IsRevoked => Partition.IsRevoked;

    internal PartitionBuffer Partition { get; }

    void ICommittable.AddTo(CommittableOffsetBatch batch) => batch.Add(this);

    public override string ToString() => $"{Partition}@{Offset}";
}
