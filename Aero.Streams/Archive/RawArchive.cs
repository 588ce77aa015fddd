using System.Collections.Concurrent;
using Aero.Kafka.Dsl;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Aero.Streams.Schema;
using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;

namespace Aero.Streams.Archive;

/// <summary>
/// The archive graph: <c>flights-raw</c> in its own consumer group, per assigned partition (starting after the
/// partition's last published file: the files are the archive's progress, never the group's Kafka commit) into
/// Parquet files, each published whole; then one Kafka committer (advisory, for lag) for the published files' last
/// offsets. Framed values (Confluent's wire format) are decoded through <c>framed</c> and archived framed. A crash loses only an unpublished temporary file, whose range the next owner writes again. Retention
/// (<see cref="ArchiveRetention"/>) asks <c>warehouseOffsets</c> which records the warehouse holds before it deletes.
/// </summary>
public static class RawArchive
{
    // Records are handed to the file writer in chunks, so Akka's cost is paid per chunk, not per record.
    private const int ChunkSize = 1000;
    private static readonly TimeSpan ChunkInterval = TimeSpan.FromMilliseconds(200);

    public static IRunnableGraph<DrainingControl<Done>> Create(
        ConsumerSettings consumerSettings,
        CommitterSettings committerSettings,
        ArchiveSettings settings,
        string topic,
        IArchiveTarget target,
        Func<CancellationToken, Task<IReadOnlyDictionary<int, long>>> warehouseOffsets,
        Action<PublishedFile>? onPublished = null,
        ArchiveReach? reach = null,
        FramedValueReader? framed = null)
    {
        var resumeAt = new ConcurrentDictionary<int, long?>();
        var subscription = Subscription.ToTopics(topic).WithOffsetsOnAssign(partitions =>
        {
            // On the consumer's thread, which must not fetch before it knows where each partition resumes.
            var next = ArchiveProgress.NextOffsets(target.ListAsync(CancellationToken.None).GetAwaiter().GetResult(), topic);
            foreach (var partition in partitions)
            {
                target.DiscardTemporariesAsync(topic, partition.Partition.Value, CancellationToken.None).GetAwaiter().GetResult();
                resumeAt[partition.Partition.Value] = next.TryGetValue(partition.Partition.Value, out var offset) ? offset : null;
            }

            return partitions
                .Where(p => next.ContainsKey(p.Partition.Value))
                .ToDictionary(p => p, p => next[p.Partition.Value]);
        });

        return KafkaConsumer.CommittablePartitionedSource(consumerSettings.WithGroupId(settings.GroupId), subscription)
            .Via(Flow.Create<(TopicPartition Partition, Source<CommittableMessage, NotUsed> Records)>()
                .MergeMany(settings.MaxPartitions, assigned => ArchivePartition(assigned.Partition, assigned.Records, settings, target, resumeAt.GetValueOrDefault(assigned.Partition.Partition.Value), reach, framed)))
            .Via(Flow.Setup((materializer, _) =>
            {
                var retention = new ArchiveRetention(target, settings, topic, warehouseOffsets, materializer.System.Log);
                return Flow.Create<PublishedFile>().SelectAsync(1, async file =>
                {
                    onPublished?.Invoke(file);
                    await retention.MaybePruneAsync(CancellationToken.None);
                    return (ICommittable)file.LastOffset;
                });
            }))
            .ToMaterialized(Committer.Sink(committerSettings), DrainingControl<Done>.Create);
    }

    private static Source<PublishedFile, NotUsed> ArchivePartition(
        TopicPartition partition, Source<CommittableMessage, NotUsed> records, ArchiveSettings settings, IArchiveTarget target, long? resumeAt, ArchiveReach? reach, FramedValueReader? framed) =>
        Source.Setup((materializer, _) =>
            {
                var writer = new ArchivePartitionWriter(target, settings, partition.Topic, partition.Partition.Value, resumeAt, materializer.System.Log);
                // A tick when no record came for a while, so a quiet partition's file is still published at max-file-age.
                var tick = settings.MaxFileAge < TimeSpan.FromSeconds(1) ? settings.MaxFileAge : TimeSpan.FromSeconds(1);
                return records
                    .Select(message => new ArchiveInput(message))
                    .Concat(Source.Single(ArchiveInput.End))
                    .KeepAlive(tick, () => ArchiveInput.Tick)
                    .GroupedWithin(ChunkSize, ChunkInterval)
                    // One chunk at a time keeps the partition's files in offset order; partitions write side by side.
                    // Decoding happens there too: the partitions' streams share one actor, the chunks run side by side.
                    .SelectAsync(1, chunk => Task.Run(() => WriteAsync(writer, chunk, reach, framed)))
                    .SelectMany(files => files);
            })
            .MapMaterializedValue(_ => NotUsed.Instance);

    private static async Task<IReadOnlyList<PublishedFile>> WriteAsync(ArchivePartitionWriter writer, IEnumerable<ArchiveInput> chunk, ArchiveReach? reach, FramedValueReader? framed)
    {
        var inputs = chunk.ToList();
        List<ArchivedRecord> records = [.. inputs.Where(i => i.Message is not null).Select(i => ArchivedRecord.Of(i.Message!, framed))];
        var published = new List<PublishedFile>(await writer.AppendAsync(records, CancellationToken.None));
        if (records.Count > 0)
        {
            reach?.Appended(records[^1].Offset.Position.Partition, records[^1].Offset.Position.NextOffset);
        }

        if (inputs.Any(i => i.IsEnd))
        {
            published.AddRange(await writer.CompleteAsync(CancellationToken.None));
        }

        return published;
    }

    /// <summary>A record, or a tick (time passed), or the end of the partition's records.</summary>
    private sealed record ArchiveInput(CommittableMessage? Message, bool IsEnd = false)
    {
        public static readonly ArchiveInput Tick = new((CommittableMessage?)null);
        public static readonly ArchiveInput End = new((CommittableMessage?)null, IsEnd: true);
    }
}
