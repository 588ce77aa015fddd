using System.Diagnostics;
using Aero.Kafka.Dsl;
using Aero.Kafka.Embedded;
using Aero.Kafka.Internal;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

/// <summary>
/// issue 13 §3: no spec covered fatal librdkafka errors. A fatal error ends the client for good, so the stage must fail
/// with it (and its consumer close) rather than wait forever for records that can no longer come.
/// </summary>
public sealed class FatalKafkaErrorSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    // issue 13 §3 (fatal librdkafka errors): the group coordinator fencing a static member is fatal for the consumer.
    [Fact]
    public async Task A_fatal_consumer_error_should_fail_the_stage_with_the_error_rather_than_hang()
    {
        Produce(100, 2);
        Kafka.PushRequestErrors(KafkaApiKey.JoinGroup, ErrorCode.FencedInstanceId);
        var started = Stopwatch.StartNew();

        var control = KafkaConsumer.CommittableSource(ConsumerSettings.WithProperty("group.instance.id", "fenced-" + Group), Subscription.ToTopics(Topic))
            .Select(message => (ICommittable)message.Offset)
            .ToMaterialized(Committer.Sink(CommitterSettings), DrainingControl<Done>.Create)
            .Run(Materializer);

        var error = await Assert.ThrowsAnyAsync<KafkaException>(() => control.StreamCompletion.WaitAsync(Bound));
        Assert.True(error.Error.IsFatal, $"failed with a non-fatal error: {error.Error}");
        Assert.Contains("fenced", error.Message, StringComparison.OrdinalIgnoreCase);
        // The consumer is closed too, within the same bound: nothing is left running for a client that is done.
        await control.Control.IsShutdown.WaitAsync(Bound);
        Assert.True(started.Elapsed < Bound, $"took {started.Elapsed}");
    }

    // issue 13 §3 (fatal librdkafka errors): an idempotent producer refused its producer id is done for good.
    [Fact]
    public async Task A_fatal_idempotent_producer_error_should_fail_the_stage_with_the_error_rather_than_hang()
    {
        Kafka.CreateTopic(Topic, 1);
        Kafka.PushRequestErrors(InitProducerId, ErrorCode.ClusterAuthorizationFailed);
        var started = Stopwatch.StartNew();

        var completion = Source.From(Enumerable.Range(0, 10))
            .Select(i => new ProducerRecord(Topic, null, BitConverter.GetBytes(i)))
            .RunWith(KafkaProducer.PlainSink(ProducerSettings), Materializer);

        var error = await Assert.ThrowsAnyAsync<KafkaException>(() => completion.WaitAsync(Bound));
        Assert.True(error.Error.IsFatal, $"failed with a non-fatal error: {error.Error}");
        Assert.Contains("authorization", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(started.Elapsed < Bound, $"took {started.Elapsed}");
    }

    // issue 13 §3 (fatal librdkafka errors): a record produced after the fatal error was raised, but before its error
    // callback arrived, is refused at once; the stage must still fail with the fatal error, not a plain produce error.
    [Fact]
    public async Task A_producer_refused_records_after_a_fatal_error_should_fail_with_that_fatal_error()
    {
        Kafka.CreateTopic(Topic, 1);
        Kafka.PushRequestErrors(InitProducerId, ErrorCode.ClusterAuthorizationFailed);

        // An endless stream keeps producing while the producer id is refused, so records meet the fatal state.
        var completion = Source.Repeat(0)
            .Select(i => new ProducerRecord(Topic, null, BitConverter.GetBytes(i)))
            .RunWith(KafkaProducer.PlainSink(ProducerSettings), Materializer);

        var error = await Assert.ThrowsAnyAsync<KafkaException>(() => completion.WaitAsync(Bound));
        Assert.True(error.Error.IsFatal, $"failed with a non-fatal error: {error.Error}");
        Assert.Equal(ErrorCode.ClusterAuthorizationFailed, error.Error.Code);
    }

    // Not among KafkaApiKey's members: only this spec needs it.
    private const KafkaApiKey InitProducerId = (KafkaApiKey)22;
}
