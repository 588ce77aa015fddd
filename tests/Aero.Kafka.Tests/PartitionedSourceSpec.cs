using System.Collections.Concurrent;
using Aero.Kafka.Dsl;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

[Collection(GroupRebalances.Name)]
public sealed class PartitionedSourceSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private const int Partitions = 4;

    [Fact]
    public async Task Committable_partitioned_source_should_emit_one_sub_source_per_partition_and_complete_it_on_revoke()
    {
        var logEnd = Produce(8_000, Partitions);
        var ledger = new OffsetLedger();
        var completedSubSources = new ConcurrentBag<int>();
        var foreign = 0;

        DrainingControl<Done> Run(string name) =>
            KafkaConsumer.CommittablePartitionedSource(ConsumerSettings, Subscription.ToTopics(Topic))
                .SelectAsyncUnordered(Partitions, async pair =>
                {
                    var records = pair.Records
                        .Select(message =>
                        {
                            if (message.Record.Partition != pair.Partition.Partition)
                            {
                                Interlocked.Increment(ref foreign);
                            }

                            ledger.Record(name, message.Record.Partition.Value, message.Record.Offset.Value);
                            return (ICommittable)message.Offset;
                        })
                        .Throttle(500, TimeSpan.FromSeconds(1), 100, Akka.Streams.ThrottleMode.Shaping);
                    await records.RunWith(Committer.Sink(CommitterSettings), Materializer);
                    completedSubSources.Add(pair.Partition.Partition.Value);
                    return Done.Instance;
                })
                .ToMaterialized(Sink.Ignore<Done>(), DrainingControl<Done>.Create)
                .Run(Materializer);

        var first = Run("first");
        await AwaitConditionAsync(() => Task.FromResult(ledger.Total >= 500), TimeSpan.FromSeconds(30));
        var second = Run("second");

        // The second member takes partitions away: the first member's sub-sources for them complete.
        await AwaitConditionAsync(() => Task.FromResult(!completedSubSources.IsEmpty), TimeSpan.FromSeconds(30));
        await AwaitCommittedAsync(logEnd, () => first.StreamCompletion.IsFaulted || second.StreamCompletion.IsFaulted, TimeSpan.FromSeconds(60));
        await Task.WhenAll(first.DrainAndShutdownAsync(TimeSpan.FromSeconds(20)), second.DrainAndShutdownAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(0, foreign);
        Assert.Empty(ledger.Missing(logEnd));
        Assert.Equal(logEnd, Committed(Partitions));
        var moved = Enumerable.Range(0, Partitions).Where(p => ledger.Offsets("second", p).Count > 0).ToList();
        Assert.NotEmpty(moved);
        Assert.All(moved, p => Assert.Contains(p, completedSubSources));
    }
}
