using Akka;
using Akka.Streams.Dsl;

namespace Aero.Streams.Kafka;

/// <summary>Commits offsets in batches, one Kafka commit per batch, never one per record.</summary>
public static class Committer
{
    /// <summary>Emits each batch once Kafka acknowledged its commit.</summary>
    public static Flow<ICommittable, CommittableOffsetBatch, NotUsed> BatchFlow(CommitterSettings settings) =>
        Akka.Streams.Dsl.Flow.FromGraph(new CommitCollectorStage(settings))
            .SelectAsync(1, async batch =>
            {
                await batch.CommitAsync();
                return batch;
            });

    /// <summary>Emits <see cref="Done"/> per committed batch.</summary>
    public static Flow<ICommittable, Done, NotUsed> Flow(CommitterSettings settings) =>
        BatchFlow(settings).Select(_ => Done.Instance);

    /// <summary>Completes when upstream completed and its last offsets were committed.</summary>
    public static Sink<ICommittable, Task<Done>> Sink(CommitterSettings settings) =>
        Flow(settings).ToMaterialized(Akka.Streams.Dsl.Sink.Ignore<Done>(), Keep.Right);
}
