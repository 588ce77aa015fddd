using Aero.Streams.Kafka;
using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Kafka;

[Collection(MemoryMeasurements.Name)]
public sealed class BackpressureSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private const int Partitions = 8;
    private const int RecordsPerPartition = 4_000;
    private const int ValueBytes = 1_000;
    private const int PartitionBufferSize = 100;

    [Fact]
    public async Task A_stalled_sink_should_pause_partitions_keep_memory_bounded_and_resume_when_it_drains()
    {
        // 32 MB of lag: far more than the stream may hold while the sink is stalled.
        var logEnd = ProduceLarge();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        var control = KafkaConsumer.CommittableSource(
                ConsumerSettings.WithPartitionBufferSize(PartitionBufferSize).WithProperty("queued.max.messages.kbytes", "2048"),
                Subscription.ToTopics(Topic))
            .SelectAsync(1, async message =>
            {
                await gate.Task;
                Interlocked.Increment(ref received);
                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(CommitterSettings), DrainingControl<Done>.Create)
            .Run(Materializer);
        var engine = ((ConsumerControl)control.Control).Engine;

        await AwaitConditionAsync(() => Task.FromResult(engine.Assigned.Count == Partitions && engine.Assigned.All(p => p.IsPaused)), TimeSpan.FromSeconds(30));

        // Bound: each partition holds at most its buffer, the source stage one chunk, Akka's input buffers a few more.
        var buffered = engine.Assigned.Sum(p => p.Count);
        Assert.InRange(buffered, 1, Partitions * PartitionBufferSize);
        var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        const long heapBound = 16L * 1024 * 1024;
        Assert.True(heapGrowth < heapBound, $"managed heap grew by {heapGrowth / 1024 / 1024} MB with 32 MB of lag; the bound is 16 MB");
        Assert.Equal(0, Volatile.Read(ref received));

        gate.SetResult();
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref received) >= Partitions * RecordsPerPartition || control.StreamCompletion.IsFaulted), TimeSpan.FromSeconds(60));
        Assert.Contains(engine.Assigned, p => !p.IsPaused);
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(Partitions * RecordsPerPartition, received);
        Assert.Equal(logEnd, Committed(Partitions));
    }

    private Dictionary<int, long> ProduceLarge()
    {
        Kafka.CreateTopic(Topic, Partitions);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers, LingerMs = 5 }).Build();
        var value = new byte[ValueBytes];
        Array.Fill(value, (byte)'x');
        for (var i = 0; i < Partitions * RecordsPerPartition; i++)
        {
            producer.Produce(new TopicPartition(Topic, i % Partitions), new Message<byte[], byte[]> { Value = value });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        return LogEnd(Partitions);
    }
}
