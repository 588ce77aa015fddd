using Aero.Kafka.Dsl;
using Aero.Kafka.Settings;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

public sealed class OffsetOutOfRangeSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    [Fact]
    public async Task An_offset_retention_has_overtaken_should_fail_the_stream_instead_of_skipping()
    {
        Produce(100, partitions: 1);
        // A stored offset the log does not have: what a consumer sees once retention deleted its next records.
        var subscription = Subscription.ToTopics(Topic)
            .WithOffsetsOnAssign(partitions => partitions.ToDictionary(p => p, _ => 5_000L));

        var completion = KafkaConsumer.PlainSource(ConsumerSettings, subscription).RunWith(Sink.Seq<ConsumeResult<byte[], byte[]>>(), Materializer);

        var error = await Assert.ThrowsAsync<KafkaOffsetOutOfRangeException>(() => completion.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("retention has overtaken the consumer", error.Message);
    }

    [Fact]
    public async Task An_out_of_range_offset_should_jump_only_when_configured_to()
    {
        Produce(100, partitions: 1);
        var subscription = Subscription.ToTopics(Topic)
            .WithOffsetsOnAssign(partitions => partitions.ToDictionary(p => p, _ => 5_000L));

        var records = await KafkaConsumer.PlainSource(ConsumerSettings.WithOffsetOutOfRange(OffsetReset.Earliest), subscription)
            .Take(100)
            .RunWith(Sink.Seq<ConsumeResult<byte[], byte[]>>(), Materializer)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), records.Select(r => r.Offset.Value));
    }
}
