using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Aero.FakeBigQuery;
using Aero.Streams.Flights;
using Aero.Streams.Kafka;
using Aero.Streams.Tests.Kafka;
using Aero.Streams.Warehouse;
using Aero.Streams.Warehouse.BigQuery;
using Confluent.Kafka;
using Xunit;
using Xunit.Abstractions;

namespace Aero.Streams.Tests.Warehouse.BigQuery;

/// <summary>The load graph from an embedded Kafka into the fake BigQuery: every record once, and a restart resumes where the rows say.</summary>
public sealed class BigQueryLoadGraphSpec(ITestOutputHelper output) : KafkaSpecBase(output), IAsyncLifetime
{
    private const int Partitions = 3;
    private FakeBigQueryServer _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeBigQueryServer.StartAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        Assert.Empty(_fake.ContractViolations);
        await _fake.DisposeAsync();
    }

    [Theory]
    [InlineData(BigQueryWriteMode.Load)]
    [InlineData(BigQueryWriteMode.Streaming)]
    public async Task Every_record_should_land_once_and_a_new_consumer_group_resume_from_the_stored_offsets(BigQueryWriteMode mode)
    {
        var clusterId = KafkaCluster.GetClusterId(Kafka.BootstrapServers, null, TimeSpan.FromSeconds(10));
        Kafka.CreateTopic(Topic, Partitions);
        ProduceFlights(0, 600);
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers }).Build())
        {
            producer.Produce(new TopicPartition(Topic, 1), new Message<byte[], byte[]> { Value = "{\"event_id\": \"trunc"u8.ToArray() });
            producer.Flush(TimeSpan.FromSeconds(10));
        }

        var logEnd = ProduceFlights(600, 300);
        var settings = BigQueryTestData.Settings(_fake, mode);
        await using (var warehouse = await BigQueryWarehouse.OpenAsync(settings))
        {
            await LoadUntil(warehouse, clusterId, logEnd, Group);
        }

        // A restart with more records and a group Kafka knows nothing of: only the warehouse knows where to go on.
        logEnd = ProduceFlights(900, 300);
        await using var restarted = await BigQueryWarehouse.OpenAsync(settings);
        var loaded = new ConcurrentQueue<LoadedBatch>();
        await LoadUntil(restarted, clusterId, logEnd, "another-group", loaded.Enqueue);

        Assert.Equal(1_200, await restarted.CountAsync(WarehouseTables.FlightsRaw));
        Assert.Equal(1_200, _fake.RowCount(BigQueryTestData.ProjectId, BigQueryTestData.DatasetId, WarehouseTables.FlightsRaw));
        Assert.Equal(1, await restarted.CountAsync(WarehouseTables.DeadLetters));
        Assert.Equal(300, loaded.Sum(b => b.Result.Inserted));
        Assert.Equal(logEnd, await restarted.StoredOffsetsAsync(clusterId, Topic));
    }

    private async Task LoadUntil(BigQueryWarehouse warehouse, string clusterId, Dictionary<int, long> logEnd, string group, Action<LoadedBatch>? onLoaded = null)
    {
        var reached = new ConcurrentDictionary<int, long>(await warehouse.StoredOffsetsAsync(clusterId, Topic));
        var control = WarehouseLoad.Create(
                ConsumerSettings.WithGroupId(group),
                CommitterSettings,
                LoadSettings.Create().WithBatchSize(250).WithBatchInterval(TimeSpan.FromMilliseconds(100)),
                Topic,
                clusterId,
                warehouse,
                batch =>
                {
                    onLoaded?.Invoke(batch);
                    foreach (var ((_, partition), next) in batch.NextOffsets)
                    {
                        reached.AddOrUpdate(partition, next, (_, known) => Math.Max(known, next));
                    }
                })
            .Run(Materializer);

        await AwaitConditionAsync(
            () => Task.FromResult(logEnd.All(end => reached.GetValueOrDefault(end.Key) >= end.Value) || control.StreamCompletion.IsCompleted),
            TimeSpan.FromSeconds(30));
        await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(20));
    }

    private Dictionary<int, long> ProduceFlights(int first, int count)
    {
        using var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers }).Build();
        for (var i = first; i < first + count; i++)
        {
            var flight = BigQueryTestData.Row(i % Partitions, i, $"event-{i}").Flight;
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
