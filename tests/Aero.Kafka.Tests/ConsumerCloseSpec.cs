using Aero.Kafka.Dsl;
using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

public sealed class ConsumerCloseSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    // issue 13 §2: a failed stream must leave the group (Close). Otherwise the group keeps a dead member until its
    // session times out, and hands its partitions to no one meanwhile, after every graph restart. (The embedded
    // cluster waits out a session timeout on any rebalance, so what the spec can see is the LeaveGroup request.)
    [Fact]
    public async Task A_failed_stream_should_leave_the_group()
    {
        Produce(300, partitions: 3);
        Kafka.StartRequestTracking();
        // A stored offset past the log end fails the stream right after its assignment.
        var failing = Subscription.ToTopics(Topic).WithOffsetsOnAssign(partitions => partitions.ToDictionary(p => p, _ => 5_000L));
        var (control, failed) = KafkaConsumer.PlainSource(ConsumerSettings.WithProperty("session.timeout.ms", "30000"), failing)
            .ToMaterialized(Sink.Ignore<ConsumeResult<byte[], byte[]>>(), Keep.Both)
            .Run(Materializer);

        await Assert.ThrowsAsync<KafkaOffsetOutOfRangeException>(() => failed.WaitAsync(TimeSpan.FromSeconds(30)));
        await control.IsShutdown.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(1, Kafka.RequestsReceived(KafkaApiKey.LeaveGroup));
    }
}
