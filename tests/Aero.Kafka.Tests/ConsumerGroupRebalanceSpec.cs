using Aero.Kafka.Dsl;
using Aero.Kafka.Settings;
using Akka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

[Collection(GroupRebalances.Name)]
public sealed class ConsumerGroupRebalanceSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private const int Partitions = 6;
    private const int Records = 30_000;
    private const int PartitionBufferSize = 200;

    [Fact]
    public async Task Two_consumers_in_one_group_should_split_partitions_and_lose_nothing_across_a_rebalance()
    {
        var logEnd = Produce(Records, Partitions);
        var ledger = new OffsetLedger();

        // Throttled so that the second member joins while the first is mid-stream.
        var first = Run("first", ledger);
        await AwaitConditionAsync(() => Task.FromResult(ledger.Total >= 3_000), TimeSpan.FromSeconds(30));
        var second = Run("second", ledger);

        await AwaitCommittedAsync(logEnd, () => first.StreamCompletion.IsFaulted || second.StreamCompletion.IsFaulted, TimeSpan.FromSeconds(60));
        await Task.WhenAll(first.DrainAndShutdownAsync(TimeSpan.FromSeconds(20)), second.DrainAndShutdownAsync(TimeSpan.FromSeconds(20)));

        Assert.Empty(ledger.Missing(logEnd));
        Assert.Equal(logEnd, Committed(Partitions));

        var moved = Enumerable.Range(0, Partitions).Where(p => ledger.Offsets("second", p).Count > 0).ToList();
        Assert.NotEmpty(moved);
        Assert.True(moved.Count < Partitions, "cooperative-sticky keeps some partitions with the first member");
        foreach (var partition in moved)
        {
            // The new owner starts exactly where the old owner's last successful commit left the partition...
            var secondStart = ledger.Offsets("second", partition)[0];
            var handover = first.Control.CommittedOffsets.GetValueOrDefault(new Confluent.Kafka.TopicPartition(Topic, partition), 0);
            Assert.Equal(handover, secondStart);

            // ...so the only records processed twice are those the old owner handled after that commit.
            var duplicates = ledger.Duplicates.Where(d => d.Partition == partition).Select(d => d.Offset).ToList();
            Assert.Equal(ledger.Offsets("first", partition).Where(o => o >= handover), duplicates);
        }

        var stayed = Enumerable.Range(0, Partitions).Except(moved);
        Assert.All(stayed, partition => Assert.DoesNotContain(ledger.Duplicates, d => d.Partition == partition));
    }

    private DrainingControl<Done> Run(string name, OffsetLedger ledger) =>
        GroupMember.Run(ConsumerSettings.WithPartitionBufferSize(PartitionBufferSize), CommitterSettings, Topic, Materializer, name, ledger);
}
