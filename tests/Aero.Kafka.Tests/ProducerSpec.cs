using System.Text;
using Aero.Kafka.Dsl;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

public sealed class ProducerSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    [Fact]
    public async Task Flexi_flow_should_emit_pass_throughs_in_input_order_after_acknowledgement()
    {
        Kafka.CreateTopic(Topic, 3);
        var messages = Enumerable.Range(0, 3_000).Select(i => (i % 3) switch
        {
            0 => ProducerMessage<int>.Of(Record(i), i),
            1 => ProducerMessage<int>.Of([Record(i), Record(i)], i),
            _ => ProducerMessage<int>.PassThroughOnly(i),
        });

        var results = await Source.From(messages)
            .Via(KafkaProducer.FlexiFlow<int>(ProducerSettings))
            .RunWith(Sink.Seq<ProducerResult<int>>(), Materializer)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, 3_000), results.Select(r => r.PassThrough));
        Assert.All(results, r => Assert.Equal((r.PassThrough % 3) switch { 0 => 1, 1 => 2, _ => 0 }, r.Deliveries.Count));
        Assert.All(results.SelectMany(r => r.Deliveries), d => Assert.Equal(PersistenceStatus.Persisted, d.Status));
        Assert.Equal(3_000, LogEnd(3).Values.Sum());
    }

    [Fact]
    public async Task Plain_sink_should_complete_once_every_record_is_in_the_log()
    {
        Kafka.CreateTopic(Topic, 2);

        await Source.From(Enumerable.Range(0, 10_000).Select(Record))
            .RunWith(KafkaProducer.PlainSink(ProducerSettings.WithParallelism(100)), Materializer)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(10_000, LogEnd(2).Values.Sum());
    }

    [Fact]
    public async Task A_record_kafka_refuses_should_fail_the_stream_with_a_clear_error()
    {
        Kafka.CreateTopic(Topic, 1);
        var tooLarge = new ProducerRecord(Topic, null, new byte[2 * 1024 * 1024]);

        var completion = Source.Single(tooLarge).RunWith(KafkaProducer.PlainSink(ProducerSettings), Materializer);

        var error = await Assert.ThrowsAnyAsync<KafkaException>(() => completion.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(ErrorCode.MsgSizeTooLarge, error.Error.Code);
    }

    private ProducerRecord Record(int i) => new(Topic, Encoding.UTF8.GetBytes($"flight-{i}"), Encoding.UTF8.GetBytes($"{{\"id\":{i}}}"));
}
