using System.Diagnostics;
using Aero.Kafka.Dsl;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Config = Akka.Configuration.Config;

namespace Aero.Bench;

/// <summary>(b) Aero as a pipeline uses it: CommittableSource, a stage of our own, Committer.Sink, then a drain.</summary>
internal sealed class AeroConsumer(string bootstrapServers, string topic, IMaterializer materializer, Config? aeroConfig, IReadOnlyDictionary<string, string> kafkaProperties)
{
    private long _consumed;
    private long _bytes;

    /// <summary>Records seen by the stream of the current or last run: the progress, and after the drain the total.</summary>
    public long Consumed => Volatile.Read(ref _consumed);

    /// <summary>Value bytes seen by the stream of the last run, drain included.</summary>
    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>The group of the last run, whose committed offsets <see cref="CommittedOffsets"/> reads.</summary>
    public string GroupId { get; private set; } = "";

    /// <summary>Reads <paramref name="records"/> records with a fresh group, then drains so their offsets are committed.</summary>
    public async Task<RunResult> RunAsync(long records, TimeSpan deadline)
    {
        Volatile.Write(ref _consumed, 0);
        Volatile.Write(ref _bytes, 0);
        GroupId = "bench-b-" + Guid.NewGuid().ToString("N")[..8];
        // The same group timeouts as (a): the mock cluster's joins are slow with the production defaults.
        var settings = ConsumerSettings.Create(aeroConfig)
            .WithBootstrapServers(bootstrapServers)
            .WithGroupId(GroupId)
            .WithProperty("session.timeout.ms", "6000")
            .WithProperty("heartbeat.interval.ms", "500");
        foreach (var (key, value) in kafkaProperties)
        {
            settings = settings.WithProperty(key, value);
        }

        var committerSettings = CommitterSettings.Create(aeroConfig);

        var firstRecord = TimeSpan.Zero;
        var bytesAtN = 0L;
        var reached = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        var control = KafkaConsumer.CommittableSource(settings, Subscription.ToTopics(topic))
            .Select(message =>
            {
                // Runs inside the stream: the same counting (a) does, plus handing the offset on.
                var count = _consumed + 1;
                if (count == 1)
                {
                    firstRecord = clock.Elapsed;
                }

                Volatile.Write(ref _bytes, _bytes + message.Record.Message.Value.Length);
                Volatile.Write(ref _consumed, count);
                if (count == records)
                {
                    bytesAtN = _bytes;
                    reached.TrySetResult(clock.Elapsed);
                }

                return (ICommittable)message.Offset;
            })
            .ToMaterialized(Committer.Sink(committerSettings), DrainingControl<Done>.Create)
            .Run(materializer);

        var finished = await Task.WhenAny(reached.Task, control.StreamCompletion, Task.Delay(deadline));
        if (finished != reached.Task)
        {
            await control.Control.ShutdownAsync();
            if (control.StreamCompletion.IsFaulted)
            {
                throw new InvalidOperationException($"(b) the stream failed after {Consumed} of {records} records.", control.StreamCompletion.Exception);
            }

            throw new TimeoutException($"(b) read only {Consumed} of {records} records in {deadline.TotalSeconds:F0} s.");
        }

        var elapsed = await reached.Task;
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(30));
        return new RunResult(records, bytesAtN, elapsed, firstRecord);
    }

    /// <summary>What the last run's group committed, per partition (negative when nothing).</summary>
    public Dictionary<int, long> CommittedOffsets(int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = GroupId }).Build();
        return consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10))
            .ToDictionary(o => o.Partition.Value, o => o.Offset.Value);
    }
}
