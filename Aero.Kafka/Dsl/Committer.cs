using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Aero.Kafka.Stages;
using Akka;
using Akka.Streams.Dsl;

namespace Aero.Kafka.Dsl;

/// <summary>Commits offsets in batches, one Kafka commit per batch, never one per record.</summary>
public static class Committer
{
    /// <summary>
    /// Emits each batch once Kafka acknowledged its commit, or gave it up: offsets of partitions revoked before their
    /// commit went through (their next owner re-reads them), and with <c>commit-failure = warn</c> any failed commit.
    /// The consumer logs each one; they are counted as <c>aero_kafka_commits_abandoned</c>.
    /// </summary>
    public static Flow<ICommittable, CommittableOffsetBatch, NotUsed> BatchFlow(CommitterSettings settings) =>
        Akka.Streams.Dsl.Flow.FromGraph(new CommitCollectorStage(settings))
            .SelectAsync(1, async batch =>
            {
                try
                {
                    await batch.CommitAsync();
                }
                catch (KafkaCommitRevokedException)
                {
                    KafkaMetrics.CommitsAbandoned.Add(1, new KeyValuePair<string, object?>("reason", "revoked"));
                }
                catch (Exception) when (settings.CommitFailure == CommitFailure.Warn)
                {
                    KafkaMetrics.CommitsAbandoned.Add(1, new KeyValuePair<string, object?>("reason", "failed"));
                }

                return batch;
            });

    /// <summary>Emits <see cref="Done"/> per committed batch.</summary>
    public static Flow<ICommittable, Done, NotUsed> Flow(CommitterSettings settings) =>
        BatchFlow(settings).Select(_ => Done.Instance);

    /// <summary>Completes when upstream completed and its last offsets were committed.</summary>
    public static Sink<ICommittable, Task<Done>> Sink(CommitterSettings settings) =>
        Flow(settings).ToMaterialized(Akka.Streams.Dsl.Sink.Ignore<Done>(), Keep.Right);
}
