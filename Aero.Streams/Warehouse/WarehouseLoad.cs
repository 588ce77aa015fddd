using Aero.Streams.Kafka;
using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;

namespace Aero.Streams.Warehouse;

/// <summary>
/// The load graph: committable source (starting at the offsets stored in the warehouse) → decode → batch →
/// one warehouse transaction for rows and next offsets → Kafka commit. Kafka's commit only follows the
/// warehouse, for lag and for tools; the offsets in the warehouse are what a restart resumes from.
/// </summary>
public static class WarehouseLoad
{
    public static IRunnableGraph<DrainingControl<Done>> Create(
        ConsumerSettings consumerSettings,
        CommitterSettings committerSettings,
        LoadSettings loadSettings,
        string topic,
        string clusterId,
        IWarehouse warehouse,
        Action<LoadedBatch>? onLoaded = null)
    {
        var subscription = Subscription.ToTopics(topic).WithOffsetsOnAssign(partitions =>
        {
            // On the consumer's thread, which must not poll before it knows where to start.
            var stored = warehouse.StoredOffsetsAsync(clusterId, topic).GetAwaiter().GetResult();
            return partitions
                .Where(p => stored.ContainsKey(p.Partition.Value))
                .ToDictionary(p => p, p => stored[p.Partition.Value]);
        });

        return KafkaConsumer.CommittableSource(consumerSettings, subscription)
            .Select(message => (Decoded: FlightDecoder.Decode(message.Record), message.Offset))
            .GroupedWithin(loadSettings.BatchSize, loadSettings.BatchInterval)
            .SelectAsync(1, batch => Task.Run(() => WriteBatchAsync(warehouse, clusterId, batch.ToList())))
            .Select(loaded =>
            {
                onLoaded?.Invoke(loaded);
                return (ICommittable)loaded.Offsets;
            })
            .ToMaterialized(Committer.Sink(committerSettings), DrainingControl<Done>.Create);
    }

    private static async Task<LoadedBatch> WriteBatchAsync(IWarehouse warehouse, string clusterId, List<(object Decoded, CommittableOffset Offset)> batch)
    {
        var rows = new List<LoadRow>(batch.Count);
        var deadLetters = new List<DeadLetter>();
        var offsets = new CommittableOffsetBatch();
        var next = new Dictionary<(string, int), long>();
        foreach (var (decoded, offset) in batch)
        {
            switch (decoded)
            {
                case LoadRow row:
                    rows.Add(row);
                    break;
                case DeadLetter letter:
                    deadLetters.Add(letter);
                    break;
            }

            offsets.Add(offset);
            var key = (offset.TopicPartition.Topic, offset.TopicPartition.Partition.Value);
            next[key] = Math.Max(next.GetValueOrDefault(key), offset.Offset + 1);
        }

        var result = await warehouse.WriteAsync(new LoadBatch(clusterId, rows, deadLetters, next));
        return new LoadedBatch(result, next, offsets);
    }
}
