using Aero.Kafka.Dsl;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams.Dsl;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

public sealed class CommittableSourceSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    [Fact]
    public async Task Committable_source_and_committer_should_consume_everything_and_commit_the_log_end()
    {
        const int records = 20_000;
        var logEnd = Produce(records, partitions: 4);
        var seen = 0;

        var control = KafkaConsumer.CommittableSource(ConsumerSettings, Subscription.ToTopics(Topic))
            .Select(message =>
            {
                Interlocked.Increment(ref seen);
                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(CommitterSettings), DrainingControl<Done>.Create)
            .Run(Materializer);

        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref seen) >= records || control.StreamCompletion.IsCompleted), TimeSpan.FromSeconds(30));

        // librdkafka's statistics report the lag per partition; once the commits landed it is zero everywhere.
        await AwaitConditionAsync(
            () => Task.FromResult(Enumerable.Range(0, 4).All(p => KafkaMetrics.ConsumerLag(Group, Topic, p) == 0)),
            TimeSpan.FromSeconds(15));
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(records, seen);
        Assert.Equal(logEnd, Committed(partitions: 4));
    }
}
