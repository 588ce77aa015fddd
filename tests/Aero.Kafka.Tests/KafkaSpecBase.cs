using Aero.Kafka.Embedded;
using Aero.Kafka.Settings;
using Akka.Streams;
using Confluent.Kafka;
using Xunit.Abstractions;

namespace Aero.Kafka.Tests;

/// <summary>An embedded Kafka per spec, settings tuned for fast group rebalances, and helpers to fill and inspect topics.</summary>
public abstract class KafkaSpecBase : Akka.TestKit.Xunit2.TestKit
{
    protected KafkaSpecBase(ITestOutputHelper output, int brokers = 1)
        : base("akka.loglevel = INFO", output: output)
    {
        Kafka = EmbeddedKafka.Start(brokers);
        Materializer = Sys.Materializer();
    }

    protected EmbeddedKafka Kafka { get; }

    protected IMaterializer Materializer { get; }

    private bool _topicCreated;

    protected string Topic { get; } = "flights-" + Guid.NewGuid().ToString("N")[..8];

    protected string Group { get; } = "group-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Consumer settings for tests: the embedded cluster's (short group timeouts), statistics every second.</summary>
    protected ConsumerSettings ConsumerSettings => Settings.ConsumerSettings.Create()
        .WithBootstrapServers(Kafka.BootstrapServers)
        .WithGroupId(Group)
        .WithProperties(EmbeddedKafka.ConsumerProperties)
        .WithProperty("statistics.interval.ms", "1000")
        .WithStopTimeout(TimeSpan.Zero);

    protected ProducerSettings ProducerSettings => Settings.ProducerSettings.Create().WithBootstrapServers(Kafka.BootstrapServers);

    protected static CommitterSettings CommitterSettings => Settings.CommitterSettings.Create().WithMaxBatch(500).WithMaxInterval(TimeSpan.FromMilliseconds(200));

    /// <summary>
    /// Writes <paramref name="count"/> flight-like JSON records round-robin over the partitions (creating the topic the
    /// first time); returns the log end per partition.
    /// </summary>
    protected Dictionary<int, long> Produce(int count, int partitions)
    {
        if (!_topicCreated)
        {
            Kafka.CreateTopic(Topic, partitions);
            _topicCreated = true;
        }

        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers, LingerMs = 5 }).Build();
        for (var i = 0; i < count; i++)
        {
            var value = System.Text.Encoding.UTF8.GetBytes($"{{\"id\":{i},\"origin\":\"SFO\",\"destination\":\"JFK\",\"delay\":{i % 90}}}");
            producer.Produce(new TopicPartition(Topic, i % partitions), new Message<byte[], byte[]> { Key = BitConverter.GetBytes(i), Value = value });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        return LogEnd(partitions);
    }

    protected Dictionary<int, long> LogEnd(int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Kafka.BootstrapServers, GroupId = "watermarks" }).Build();
        return Enumerable.Range(0, partitions).ToDictionary(
            p => p,
            p => consumer.QueryWatermarkOffsets(new TopicPartition(Topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    /// <summary>
    /// Waits until the group has committed the log end of every partition. After a rebalance the new owner re-reads
    /// from the last successful commit, so "every offset seen once" comes long before "the owners are done".
    /// </summary>
    protected Task AwaitCommittedAsync(IReadOnlyDictionary<int, long> logEnd, Func<bool> failed, TimeSpan timeout) =>
        AwaitConditionAsync(
            () => Task.FromResult(failed() || Committed(logEnd.Count).All(c => c.Value == logEnd[c.Key])),
            timeout,
            TimeSpan.FromMilliseconds(250));

    /// <summary>The offsets the test's group has committed, per partition (-1001 when none).</summary>
    protected Dictionary<int, long> Committed(int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Kafka.BootstrapServers, GroupId = Group }).Build();
        return consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(Topic, p)), TimeSpan.FromSeconds(10))
            .ToDictionary(o => o.Partition.Value, o => o.Offset.Value);
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        Kafka.Dispose();
    }
}
