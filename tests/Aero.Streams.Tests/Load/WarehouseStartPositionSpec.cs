using System.Text;
using System.Text.Json;
using Aero.Flights;
using Aero.Kafka;
using Aero.Kafka.Dsl;
using Aero.Kafka.Embedded;
using Aero.Kafka.Messages;
using Aero.Kafka.Settings;
using Aero.Kafka.Tests;
using Aero.Streams.Load;
using Aero.Warehouse;
using Aero.Warehouse.Tests;
using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Load;

/// <summary>Where the load starts a partition: the warehouse's stored offset, else initial-offset; never the group's Kafka commit.</summary>
public sealed class WarehouseStartPositionSpec(ITestOutputHelper output) : KafkaSpecBase(output)
{
    private const int Partitions = 3;
    private const int Records = 600;
    private readonly DuckDbTestStore _store = new();

    // issue 13 §1.1: a fresh warehouse on a group whose Kafka commits are at the log end must still load everything.
    [Fact]
    public async Task A_warehouse_without_stored_offsets_should_start_at_initial_offset_not_at_the_groups_kafka_commit()
    {
        var logEnd = ProduceFlights();
        await CommitEverythingWithAPlainConsumerAsync(logEnd);
        Assert.Equal(logEnd, Committed(Partitions));

        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        await using var warehouse = await _store.OpenAsync();
        var reached = new System.Collections.Concurrent.ConcurrentDictionary<int, long>();
        var infos = CreateTestProbe();
        Sys.EventStream.Subscribe(infos.Ref, typeof(Akka.Event.Info));
        using var processed = LoadSpecs.ProcessedTopic(ProducerSettings, Topic);
        var load = WarehouseLoad.Create(ConsumerSettings, CommitterSettings, LoadSettings.Create().WithBatchInterval(TimeSpan.FromMilliseconds(100)), Topic, clusterId, warehouse, LoadSpecs.Transform, processed, batch =>
            {
                foreach (var ((_, partition), next) in batch.NextOffsets)
                {
                    reached[partition] = next;
                }
            })
            .Run(Materializer);

        await AwaitConditionAsync(
            () => Task.FromResult(logEnd.All(end => reached.GetValueOrDefault(end.Key) >= end.Value) || load.StreamCompletion.IsCompleted),
            TimeSpan.FromSeconds(30));
        await load.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(Records, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(logEnd, await warehouse.StoredOffsetsAsync(clusterId, Topic));
        await infos.FishForMessageAsync(
            m => m is Akka.Event.Info i && i.Message.ToString()!.Contains("at the beginning (no stored offset: initial-offset = earliest)", StringComparison.Ordinal),
            TimeSpan.FromSeconds(5));
    }

    // issue 13 §2: with offsets in the warehouse a Kafka commit is advisory: a commit timeout must not fail the load.
    [Fact]
    public async Task A_kafka_commit_timeout_should_not_fail_the_load()
    {
        var logEnd = ProduceFlights();
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        await using var warehouse = await _store.OpenAsync();
        Kafka.PushRequestErrors(KafkaApiKey.OffsetCommit, Enumerable.Repeat(ErrorCode.RequestTimedOut, 500).ToArray());
        var reached = new System.Collections.Concurrent.ConcurrentDictionary<int, long>();
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings.Ref, typeof(Akka.Event.Warning));
        using var processed = LoadSpecs.ProcessedTopic(ProducerSettings, Topic);
        var load = WarehouseLoad.Create(
                ConsumerSettings.WithCommitTimeout(TimeSpan.FromSeconds(1)).WithCommitRetryBackoff(TimeSpan.FromMilliseconds(50)),
                CommitterSettings,
                LoadSettings.Create().WithBatchInterval(TimeSpan.FromMilliseconds(100)),
                Topic,
                clusterId,
                warehouse,
                LoadSpecs.Transform,
                processed,
                batch =>
                {
                    foreach (var ((_, partition), next) in batch.NextOffsets)
                    {
                        reached[partition] = next;
                    }
                })
            .Run(Materializer);

        await AwaitConditionAsync(
            () => Task.FromResult(logEnd.All(end => reached.GetValueOrDefault(end.Key) >= end.Value) || load.StreamCompletion.IsCompleted),
            TimeSpan.FromSeconds(30));
        await warnings.FishForMessageAsync(m => m is Akka.Event.Warning w && w.Message.ToString()!.Contains("Offsets were not committed", StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        Assert.False(load.StreamCompletion.IsCompleted, "the load stopped over a Kafka commit");
        await load.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(Records, await warehouse.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(logEnd, await warehouse.StoredOffsetsAsync(clusterId, Topic));
    }

    protected override void AfterAll()
    {
        base.AfterAll();
        _store.Dispose();
    }

    private async Task CommitEverythingWithAPlainConsumerAsync(IReadOnlyDictionary<int, long> logEnd)
    {
        var control = KafkaConsumer.CommittableSource(ConsumerSettings, Subscription.ToTopics(Topic))
            .Select(message => (ICommittable)message.Offset)
            .ToMaterialized(Committer.Sink(CommitterSettings), DrainingControl<Done>.Create)
            .Run(Materializer);
        await AwaitCommittedAsync(logEnd, () => control.StreamCompletion.IsCompleted, TimeSpan.FromSeconds(30));
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));
    }

    private Dictionary<int, long> ProduceFlights()
    {
        Kafka.CreateTopic(Topic, Partitions);
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers }).Build();
        for (var i = 0; i < Records; i++)
        {
            var flight = VegaFlightMapping.ToRecord(new VegaFlight("2001/01/01 06:55", i % 60, 1000, "LAX", "SFO"), "start-position-spec", i);
            producer.Produce(new TopicPartition(Topic, i % Partitions), new Message<byte[], byte[]>
            {
                Key = Encoding.UTF8.GetBytes(flight.FlightId),
                Value = JsonSerializer.SerializeToUtf8Bytes(flight, FlightJsonContext.Default.FlightRecord),
            });
        }

        producer.Flush(TimeSpan.FromSeconds(10));
        return LogEnd(Partitions);
    }
}
