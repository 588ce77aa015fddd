using Aero.Kafka.Dsl;
using Aero.Kafka.Internal;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

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
        var ledger = new OffsetLedger();
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        var control = KafkaConsumer.CommittableSource(
                ConsumerSettings.WithPartitionBufferSize(PartitionBufferSize).WithProperty("queued.max.messages.kbytes", "2048"),
                Subscription.ToTopics(Topic))
            .SelectAsync(1, async message =>
            {
                await gate.Task;
                Interlocked.Increment(ref received);
                ledger.Record("only", message.Record.Partition.Value, message.Record.Offset.Value);
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
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        // issue 13 §3: not the engine's flag but the records say each partition was resumed: every one of them
        // delivered its whole log, far more than the buffer it was paused with.
        Assert.Equal(Partitions * RecordsPerPartition, received);
        Assert.Empty(ledger.Missing(logEnd));
        Assert.Empty(ledger.Duplicates);
        Assert.Equal(logEnd, Committed(Partitions));
    }

    // issue 13 §1.5 and §2: librdkafka keeps an application's pause across revocation and re-assignment, so a partition
    // revoked while its buffer was full, and later assigned back to the same consumer, must be resumed explicitly.
    [Fact]
    public async Task A_partition_paused_when_revoked_should_flow_again_when_assigned_back()
    {
        const int partitions = 4;
        const int bufferSize = 500;
        var logEnd = Produce(8_000, partitions);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ledger = new OffsetLedger();
        var first = KafkaConsumer.CommittableSource(ConsumerSettings.WithPartitionBufferSize(bufferSize), Subscription.ToTopics(Topic))
            .SelectAsync(1, async message =>
            {
                await gate.Task;
                ledger.Record("first", message.Record.Partition.Value, message.Record.Offset.Value);
                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(CommitterSettings), DrainingControl<Done>.Create)
            .Run(Materializer);
        var firstEngine = ((ConsumerControl)first.Control).Engine;
        await AwaitConditionAsync(() => Task.FromResult(firstEngine.Assigned.Count == partitions && firstEngine.Assigned.All(p => p.IsPaused)), TimeSpan.FromSeconds(30));

        // A second member takes some of the paused partitions, reads nothing, commits nothing, and leaves.
        var never = new TaskCompletionSource<ICommittable>();
        var second = KafkaConsumer.CommittableSource(ConsumerSettings.WithPartitionBufferSize(bufferSize), Subscription.ToTopics(Topic))
            .SelectAsync(1, _ => never.Task)
            .ToMaterialized(Committer.Sink(CommitterSettings), DrainingControl<Done>.Create)
            .Run(Materializer);
        var secondEngine = ((ConsumerControl)second.Control).Engine;
        await AwaitConditionAsync(() => Task.FromResult(secondEngine.Assigned.Count > 0 && firstEngine.Assigned.Count + secondEngine.Assigned.Count == partitions), TimeSpan.FromSeconds(30));
        var moved = secondEngine.Assigned.Select(p => p.TopicPartition.Partition.Value).ToList();
        await second.Control.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await AwaitConditionAsync(() => Task.FromResult(firstEngine.Assigned.Count == partitions), TimeSpan.FromSeconds(30));

        gate.SetResult();
        await AwaitConditionAsync(() => Task.FromResult(ledger.Distinct >= 8_000 || first.StreamCompletion.IsFaulted), TimeSpan.FromSeconds(30));
        await first.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.NotEmpty(moved);
        Assert.Empty(ledger.Missing(logEnd));
        Assert.Equal(logEnd, Committed(partitions));
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
