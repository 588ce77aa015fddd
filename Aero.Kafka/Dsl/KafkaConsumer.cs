using Aero.Kafka.Internal;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Aero.Kafka.Stages;
using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;

namespace Aero.Kafka.Dsl;

/// <summary>Kafka sources. Records arrive as raw bytes; decode them in a stage of your own so bad bytes can be dead-lettered.</summary>
public static class KafkaConsumer
{
    /// <summary>Records without offsets to commit; the consumer group still balances partitions.</summary>
    public static Source<ConsumeResult<byte[], byte[]>, IConsumerControl> PlainSource(ConsumerSettings settings, Subscription subscription) =>
        Source.FromGraph(new KafkaSourceStage<ConsumeResult<byte[], byte[]>>(settings, subscription, static (record, _) => record));

    /// <summary>Records with their offsets, for a committer downstream (at-least-once; exactly-once with an idempotent sink).</summary>
    public static Source<CommittableMessage, IConsumerControl> CommittableSource(ConsumerSettings settings, Subscription subscription) =>
        Source.FromGraph(new KafkaSourceStage<CommittableMessage>(settings, subscription, ToCommittable));

    /// <summary>One sub-source per assigned partition, completed when the partition is revoked.</summary>
    public static Source<(TopicPartition Partition, Source<CommittableMessage, NotUsed> Records), IConsumerControl> CommittablePartitionedSource(
        ConsumerSettings settings, Subscription subscription) =>
        Source.FromGraph(new KafkaPartitionedSourceStage<CommittableMessage>(settings, subscription, ToCommittable));

    private static CommittableMessage ToCommittable(ConsumeResult<byte[], byte[]> record, PartitionBuffer partition) =>
        new(record, new CommittableOffset(partition, KafkaPosition.Of(record)));
}
