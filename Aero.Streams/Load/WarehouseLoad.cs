using System.Diagnostics;
using System.Globalization;
using Aero.Kafka.Dsl;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Aero.Streams.Schema;
using Aero.Streams.Transform;
using Aero.Streams.Windows;
using Aero.Warehouse;
using Aero.Warehouse.Windows;
using Akka;
using Akka.Configuration;
using Akka.Streams.Dsl;
using Confluent.Kafka;

namespace Aero.Streams.Load;

/// <summary>
/// The load graph: per assigned partition (starting at the offsets stored in the warehouse), decode → transform →
/// batch by count, bytes and time → publish the processed flights → one atomic warehouse write of rows, processed rows,
/// dead letters, next offsets and (with <see cref="LoadWindows"/>) the windows' partials and event times; then one Kafka committer for all.
/// Kafka's commit only follows the warehouse, for lag and for tools; the offsets in the warehouse are what a restart
/// resumes from. A slow warehouse holds back the partition's batch, its sub-source, and so pauses the partition.
/// Without a transform (and its topic) the load stores the raw rows alone: the windows benchmark's baseline.
/// </summary>
public static class WarehouseLoad
{
    public static IRunnableGraph<DrainingControl<Done>> Create(
        ConsumerSettings consumerSettings,
        CommitterSettings committerSettings,
        LoadSettings loadSettings,
        string topic,
        string clusterId,
        IWarehouseWriter warehouse,
        FlightTransform? transform,
        ProcessedFlightsTopic? processed,
        Action<LoadedBatch>? onLoaded = null,
        LoadWindows? windows = null,
        FramedValueReader? framed = null)
    {
        // Half of Kafka's poll deadline: a warehouse slower than that to answer (BigQuery waits for its running load
        // jobs) fails the graph, which restarts with back-off, rather than getting the consumer dropped from its group.
        var offsetsDeadline = TimeSpan.FromMilliseconds(MaxPollIntervalMilliseconds(consumerSettings) / 2.0);
        var subscription = Subscription.ToTopics(topic).WithOffsetsOnAssign(partitions =>
        {
            // On the consumer's thread, which must not fetch before it knows where to start.
            var stored = WithinDeadline(offsetsDeadline, warehouse, $"the stored offsets of {topic}", cancel => warehouse.StoredPositionsAsync(clusterId, topic, cancel));
            if (windows is not null && warehouse is IWindowStore store)
            {
                // From now on the coordinator waits for these partitions' watermarks (until they are idle).
                var numbers = partitions.Select(p => p.Partition.Value).ToList();
                WithinDeadline(offsetsDeadline, warehouse, $"the windows' partitions of {topic}", async cancel =>
                {
                    await store.RegisterPartitionsAsync(clusterId, topic, numbers, cancel);
                    return true;
                });
            }

            StoredOffsetsGuard.Check(consumerSettings, topic, partitions, stored, offsetsDeadline);
            return partitions
                .Where(p => stored.ContainsKey(p.Partition.Value))
                .ToDictionary(p => p, p => stored[p.Partition.Value].NextOffset);
        });

        return KafkaConsumer.CommittablePartitionedSource(consumerSettings, subscription)
            .Via(Flow.Create<(TopicPartition Partition, Source<CommittableMessage, NotUsed> Records)>()
                .MergeMany(loadSettings.MaxPartitions, assigned => LoadPartition(assigned.Records, loadSettings, clusterId, warehouse, transform, processed, windows, framed)))
            .Select(loaded =>
            {
                onLoaded?.Invoke(loaded);
                return (ICommittable)loaded.Offsets;
            })
            .ToMaterialized(Committer.Sink(committerSettings.WithCommitFailure(loadSettings.KafkaCommitFailure)), DrainingControl<Done>.Create);
    }

    /// <summary>
    /// What <paramref name="read"/> answers, or a <see cref="TimeoutException"/> saying why the load stops once
    /// <paramref name="deadline"/> has passed, whether or not the warehouse heeds the cancellation (a call that ignores
    /// it is abandoned).
    /// </summary>
    private static T WithinDeadline<T>(TimeSpan deadline, IWarehouseWriter warehouse, string what, Func<CancellationToken, Task<T>> read)
    {
        using var cancellation = new CancellationTokenSource(deadline);
        try
        {
            return read(cancellation.Token).WaitAsync(deadline).GetAwaiter().GetResult();
        }
        catch (Exception error) when (error is TimeoutException || (error is OperationCanceledException && cancellation.IsCancellationRequested))
        {
            throw new TimeoutException(
                string.Create(CultureInfo.InvariantCulture, $"The warehouse ({warehouse.Description}) did not return {what} within {deadline.TotalSeconds:0.#} s, ") +
                "half of the consumer's max.poll.interval.ms: the load stops and starts again after its back-off rather than be dropped from its group.",
                error);
        }
    }

    private static Source<LoadedBatch, NotUsed> LoadPartition(
        Source<CommittableMessage, NotUsed> records, LoadSettings settings, string clusterId, IWarehouseWriter warehouse, FlightTransform? transform, ProcessedFlightsTopic? processed, LoadWindows? windows, FramedValueReader? framed) =>
        records
            // A row becomes a row with its processed flight, or a dead letter saying why it cannot have one.
            .Select(message => new Decoded(Transform(transform, FlightDecoder.Decode(message.Record, framed)), message.Offset, message.Record.Message.Value?.Length ?? 0))
            .GroupedWeightedWithin(settings.BatchBytes, settings.BatchSize, settings.BatchInterval, decoded => Math.Max(1, decoded.Bytes))
            // One write in flight per partition keeps its offsets in order; partitions write side by side.
            .SelectAsync(1, batch => Task.Run(() => WriteBatchAsync(warehouse, clusterId, processed, windows, batch)));

    private static LoadRecord Transform(FlightTransform? transform, LoadRecord record) => transform is null ? record : transform.Apply(record, DateTime.UtcNow);

    private static async Task<LoadedBatch> WriteBatchAsync(IWarehouseWriter warehouse, string clusterId, ProcessedFlightsTopic? processed, LoadWindows? windows, IEnumerable<Decoded> batch)
    {
        var rows = new List<LoadRow>();
        var deadLetters = new List<DeadLetter>();
        var offsets = new CommittableOffsetBatch();
        var next = new Dictionary<(string, int), long>();
        foreach (var (record, offset, _) in batch)
        {
            switch (record)
            {
                case LoadRow row:
                    rows.Add(row);
                    break;
                case DeadLetter letter:
                    deadLetters.Add(letter);
                    break;
            }

            offsets.Add(offset);
            var key = (offset.Position.Topic, offset.Position.Partition);
            next[key] = Math.Max(next.GetValueOrDefault(key), offset.Position.NextOffset);
        }

        // Before the write: a batch whose write fails is published again on its replay (ProcessedFlightsTopic).
        if (processed is not null)
        {
            await processed.PublishAsync([.. rows.Where(row => row.Processed is not null).Select(row => row.Processed!)]);
        }
        var started = Stopwatch.GetTimestamp();
        WriteResult result;
        try
        {
            // The warehouse writes the partials of the rows it stores, in the same transaction (IBatchWindows).
            result = await warehouse.WriteAsync(new LoadBatch(clusterId, rows, deadLetters, next) { Windows = windows });
        }
        catch
        {
            WarehouseMetrics.BatchFailures.Add(1);
            throw;
        }

        WarehouseMetrics.BatchSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        WarehouseMetrics.RowsStored.Add(result.Inserted);
        WarehouseMetrics.RowsAlreadyStored.Add(result.AlreadyStored);
        WarehouseMetrics.DeadLetters.Add(result.DeadLettered);
        return new LoadedBatch(result, next, offsets);
    }

    /// <summary>The consumer's <c>max.poll.interval.ms</c> (aero.kafka.consumer.kafka-clients, default in reference.conf).</summary>
    private static int MaxPollIntervalMilliseconds(ConsumerSettings settings) =>
        settings.Properties.TryGetValue("max.poll.interval.ms", out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0
            ? milliseconds
            : throw new ConfigurationException($"aero.kafka.consumer.kafka-clients.max.poll.interval.ms = \"{text}\": expected a positive number of milliseconds.");

    private readonly record struct Decoded(LoadRecord Record, CommittableOffset Offset, int Bytes);
}
