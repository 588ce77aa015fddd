using Aero.Kafka.Dsl;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Aero.Kafka.Tests;

/// <summary>One member of a consumer group in the rebalance specs: throttled so that a second member joins mid-stream.</summary>
internal static class GroupMember
{
    public static DrainingControl<Done> Run(
        ConsumerSettings settings, CommitterSettings committer, string topic, IMaterializer materializer, string name, OffsetLedger ledger, Action? onRecord = null) =>
        KafkaConsumer.CommittableSource(settings, Subscription.ToTopics(topic))
            .Throttle(3_000, TimeSpan.FromSeconds(1), 3_000, ThrottleMode.Shaping)
            .Select(message =>
            {
                onRecord?.Invoke();
                ledger.Record(name, message.Record.Partition.Value, message.Record.Offset.Value);
                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(committer), DrainingControl<Done>.Create)
            .Run(materializer);
}
