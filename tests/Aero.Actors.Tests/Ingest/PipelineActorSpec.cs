using Aero.Actors.Ingest;
using Aero.Kafka;
using Aero.Kafka.Dsl;
using Aero.Kafka.Embedded;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Actors.Tests.Ingest;

public sealed class PipelineActorSpec : Akka.TestKit.Xunit2.TestKit
{
    private const int Records = 2_000;
    private readonly EmbeddedKafka _kafka = EmbeddedKafka.Start();
    private readonly string _topic = "flights-" + Guid.NewGuid().ToString("N")[..8];

    public PipelineActorSpec(ITestOutputHelper output)
        : base("akka.loglevel = INFO", output: output)
    {
        _kafka.CreateTopic(_topic, 2);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        for (var i = 0; i < Records; i++)
        {
            producer.Produce(new TopicPartition(_topic, i % 2), new Message<byte[], byte[]> { Value = BitConverter.GetBytes(i) });
        }

        producer.Flush(TimeSpan.FromSeconds(10));
    }

    private ConsumerSettings Settings => ConsumerSettings.Create()
        .WithBootstrapServers(_kafka.BootstrapServers)
        .WithGroupId("pipeline-spec")
        .WithProperties(EmbeddedKafka.ConsumerProperties);

    [Fact]
    public async Task Pipeline_actor_should_drain_commit_and_stop_when_asked()
    {
        var processed = 0;
        DrainingControl<Done> Start(IMaterializer materializer) =>
            KafkaConsumer.CommittableSource(Settings, Subscription.ToTopics(_topic))
                .Select(message =>
                {
                    Interlocked.Increment(ref processed);
                    return (ICommittable)message.Offset;
                })
                .ToMaterialized(Committer.Sink(CommitterSettings.Create().WithMaxInterval(TimeSpan.FromSeconds(30))), DrainingControl<Done>.Create)
                .Run(materializer);

        var pipeline = Sys.ActorOf(PipelineActor.Props("spec", Start));
        Watch(pipeline);
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref processed) >= Records), TimeSpan.FromSeconds(30));

        pipeline.Tell(new DrainPipeline(TimeSpan.FromSeconds(20)));

        await ExpectMsgAsync<PipelineDrained>(TimeSpan.FromSeconds(25));
        await ExpectTerminatedAsync(pipeline);
        // The committer's interval is 30 s: only the drain can have committed these offsets.
        Assert.Equal(Records, CommittedTotal());
    }

    [Fact]
    public async Task Pipeline_actor_should_fail_to_its_supervisor_when_the_stream_fails()
    {
        var failures = new List<Exception>();
        var subscription = Subscription.ToTopics(_topic).WithOffsetsOnAssign(partitions => partitions.ToDictionary(p => p, _ => 1_000_000L));
        DrainingControl<Done> Start(IMaterializer materializer) =>
            KafkaConsumer.CommittableSource(Settings, subscription)
                .Select(message => (ICommittable)message.Offset)
                .ToMaterialized(Committer.Sink(CommitterSettings.Create()), DrainingControl<Done>.Create)
                .Run(materializer);

        var pipeline = ChildActorOf(PipelineActor.Props("spec", Start), new OneForOneStrategy(error =>
        {
            failures.Add(error);
            return Directive.Stop;
        }));
        Watch(pipeline);

        await ExpectTerminatedAsync(pipeline, TimeSpan.FromSeconds(30));
        var failure = Assert.IsType<PipelineFailedException>(Assert.Single(failures));
        Assert.IsType<KafkaOffsetOutOfRangeException>(failure.InnerException);
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _kafka.Dispose();
    }

    private long CommittedTotal()
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = _kafka.BootstrapServers, GroupId = "pipeline-spec" }).Build();
        return consumer.Committed([new TopicPartition(_topic, 0), new TopicPartition(_topic, 1)], TimeSpan.FromSeconds(10)).Sum(o => o.Offset.Value);
    }
}
