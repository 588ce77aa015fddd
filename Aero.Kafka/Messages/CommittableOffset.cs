using Aero.Kafka.Internal;
using Confluent.Kafka;

namespace Aero.Kafka.Messages;

/// <summary>The position of one consumed record, to be committed once the record was handled.</summary>
public sealed class CommittableOffset : ICommittable
{
    internal CommittableOffset(PartitionBuffer partition, long offset)
    {
        Partition = partition;
        Offset = offset;
    }

    public TopicPartition TopicPartition => Partition.TopicPartition;

    /// <summary>The record's offset; the commit stores <c>Offset + 1</c>, the next record to read.</summary>
    public long Offset { get; }

    internal PartitionBuffer Partition { get; }

    void ICommittable.AddTo(CommittableOffsetBatch batch) => batch.Add(this);

    public override string ToString() => $"{Partition}@{Offset}";
}
