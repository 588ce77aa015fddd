using Aero.Kafka.Dsl;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

public sealed class DrainingShutdownSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private const int Partitions = 4;

    [Fact]
    public async Task Draining_shutdown_should_commit_exactly_what_was_processed_so_a_restart_processes_nothing_twice()
    {
        var logEnd = Produce(40_000, Partitions);
        var ledger = new OffsetLedger();

        var first = Run("first", ledger, throttle: true);
        await AwaitConditionAsync(() => Task.FromResult(ledger.Total >= 2_000), TimeSpan.FromSeconds(30));
        await first.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        // Everything that reached the end of the stream was committed, and nothing more.
        Assert.True(ledger.Total < 40_000, "the first run stopped mid-stream");
        var expected = Enumerable.Range(0, Partitions).ToDictionary(p => p, p => ledger.MaxOffset(p) + 1);
        Assert.Equal(expected, Committed(Partitions));
        Assert.True(first.Control.IsShutdown.IsCompleted);

        var second = Run("second", ledger, throttle: false);
        await AwaitConditionAsync(() => Task.FromResult(ledger.Distinct >= 40_000 || second.StreamCompletion.IsFaulted), TimeSpan.FromSeconds(30));
        await second.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.Empty(ledger.Duplicates);
        Assert.Empty(ledger.Missing(logEnd));
        Assert.Equal(logEnd, Committed(Partitions));
    }

    private DrainingControl<Done> Run(string name, OffsetLedger ledger, bool throttle)
    {
        var source = KafkaConsumer.CommittableSource(ConsumerSettings, Subscription.ToTopics(Topic));
        if (throttle)
        {
            source = source.Throttle(2_000, TimeSpan.FromSeconds(1), 200, Akka.Streams.ThrottleMode.Shaping);
        }

        return source
            .Select(message =>
            {
                ledger.Record(name, message.Record.Partition.Value, message.Record.Offset.Value);
                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(CommitterSettings.WithMaxInterval(TimeSpan.FromSeconds(10))), DrainingControl<Done>.Create)
            .Run(Materializer);
    }
}
